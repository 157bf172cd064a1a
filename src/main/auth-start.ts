import { run } from './run.js'
import { startAuthServer } from './start-auth-server.js'

await run({ 'auth-server': startAuthServer })
