import { apiServerStarter } from './api-server-starter.js'
import { run } from './run.js'

await run({ 'api-server': apiServerStarter })
