export { ERROR_CODES, type ErrorCode } from './codes.js'
export {
  type ErrorDetails,
  GatehouseError,
  type GatehouseErrorOptions,
  isGatehouseError,
} from './gatehouse-error.js'
