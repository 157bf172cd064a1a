/** Types of `start-code-cache.mjs` (see its comment). */
export function writeCodeCache(bundle: string, tempRoot?: string): Promise<boolean>
