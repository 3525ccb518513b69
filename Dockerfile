# syntax=docker/dockerfile:1
# Build: install everything (native better-sqlite3 and the generated Prisma clients), then drop dev deps.
# Node 20 (20.19+), as package.json engines and .nvmrc say.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY tools ./tools
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund --engine-strict
COPY tsconfig.json ./
COPY src ./src
RUN npm run generate && npm run build && npm prune --omit=dev

# Run: non-root, migrations applied on start (src/main.ts), health on /healthz.
FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 DATABASE_URL=file:/data/ratchet.db
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /data && chown node:node /data
COPY --from=build --chown=node:node /app /app
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD curl -fsS "http://127.0.0.1:${PORT}/healthz" || exit 1
# --liftoff-only: Prisma's query engine is WebAssembly; V8's optimising tier would spend ~60 MB
# compiling it for no measurable query speed-up. --max-semi-space-size=1 keeps the young heap small.
CMD ["node", "--liftoff-only", "--max-semi-space-size=1", "dist/main.js"]
