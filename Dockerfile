# One image for the case worker, the API and their one-shot setup and seed; docker-compose.yml picks the process
# with its command. Node.js 24 LTS: Node 20 reached its end of life in April 2026. CI runs the test suite on this
# major as well (.ci/run, Node.js 24 from tools/node24/requirements.txt).

# Build stage: every dependency (tsc, tsx, webpack's loaders), then `npm run build` (scripts/build.ts) compiles the
# production folders into dist/ and prebuilds the workflow bundle there.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime stage: dist/ and the production dependencies only. Nothing compiles or bundles at start-up, and neither
# the compiler nor the dev stack's packages are in the image.
FROM node:24-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Notices are printed as PDF in Noto CJK (notices/fonts.ts).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk && rm -rf /var/lib/apt/lists/*

# Dependencies first, so editing the source reuses this layer.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Owned by root and read-only to the app user: a compromised process cannot rewrite its own code.
COPY --from=build /app/dist ./dist

USER node
EXPOSE 3000
# node itself, not npm: run under an init (compose's `init: true`), SIGTERM then reaches node and the process drains.
CMD ["node", "dist/api/main.js"]
