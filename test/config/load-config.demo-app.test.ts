/** When the demo web app is served, and on which port. */
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config/load-config.js'

describe('DEMO_APP_PORT', () => {
  it('serves the demo app on 8080 while demo data is on outside production', () => {
    expect(loadConfig({}).demoAppPort).toBe(8080)
    expect(loadConfig({ NODE_ENV: 'test' }).demoAppPort).toBe(8080)
  })

  it('serves no demo app without demo data, or in production, unless DEMO_APP_PORT is set', () => {
    expect(loadConfig({ DEMO_DATA: 'false' }).demoAppPort).toBeUndefined()
    expect(loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'true' }).demoAppPort).toBeUndefined()
    expect(loadConfig({ NODE_ENV: 'production', DEMO_APP_PORT: '0' }).demoAppPort).toBe(0)
    expect(loadConfig({ DEMO_DATA: 'false', DEMO_APP_PORT: '9090' }).demoAppPort).toBe(9090)
  })

  it('stops with one line naming DEMO_APP_PORT when it is not a port', () => {
    expect(() => loadConfig({ DEMO_APP_PORT: '80800' })).toThrow(
      new ConfigError('Invalid configuration: DEMO_APP_PORT must be a port from 0 to 65535'),
    )
  })
})
