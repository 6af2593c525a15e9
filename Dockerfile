# One image for the case worker, the API and their one-shot setup and seed; docker-compose.yml picks the process
# with its command. Node.js 24 LTS: Node 20 reached its end of life in April 2026. CI runs the test suite on this
# major as well (.ci/run, Node.js 24 from tools/node24/requirements.txt).
FROM node:24-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Notices are printed as PDF in Noto CJK (notices/fonts.ts).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk && rm -rf /var/lib/apt/lists/*

# Dependencies first, so editing the source reuses this layer. tsx runs the TypeScript directly, so no build step;
# dev dependencies (jest, eslint, swc) stay out of the image.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Owned by root and read-only to the app user: a compromised process cannot rewrite its own code.
COPY . .

USER node
EXPOSE 3000
# node itself, not npm: run under an init (compose's `init: true`), SIGTERM then reaches node and the process drains.
CMD ["node", "--import", "tsx", "api/main.ts"]
