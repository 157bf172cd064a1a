import { run } from './run.js'
import { apiServerStarter } from './start-api-server.js'

await run({ 'api-server': apiServerStarter })
