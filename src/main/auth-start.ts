import { run } from './run.js'
import { authServerStarter } from './start-auth-server.js'

await run({ 'auth-server': authServerStarter })
