import { authServerStarter } from './auth-server-starter.js'
import { run } from './run.js'

await run({ 'auth-server': authServerStarter })
