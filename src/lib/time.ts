/** Seconds since the Unix epoch, the unit of every timestamp Gatehouse stores. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}
