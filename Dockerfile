# One image for the case worker and the API; docker-compose.yml picks the process with its command.
FROM node:20-bookworm-slim

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
CMD ["npm", "run", "start:api"]
