#!/usr/bin/env node
// The CLI runs from the JavaScript that `npm install` builds (the `prepare` script, into dist/):
// no TypeScript loader in production. While editing the sources, `npm run gatehouse -- …` runs
// them through tsx instead.
await import('../dist/cli/index.js')
