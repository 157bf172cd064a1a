import { run } from './run.js'
import { startApiServer } from './start-api-server.js'
import { startAuthServer } from './start-auth-server.js'

await run({ 'auth-server': startAuthServer, 'api-server': startApiServer })
