import { run } from './run.js'
import { startApiServer } from './start-api-server.js'

await run({ 'api-server': startApiServer })
