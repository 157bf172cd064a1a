export { ERROR_CODES, type ErrorCode } from './codes.js'
export { GatehouseError, type GatehouseErrorOptions, isGatehouseError } from './gatehouse-error.js'
