/**
 * Where the CLI gets a password: typed at a terminal with echo off, or piped on standard input
 * (for scripts). Never from the command line, where `ps` and the shell history would show it.
 *
 * @module
 */
import { text } from 'node:stream/consumers'

/** The terminal side: a readable that can go raw, and where prompts go. */
export interface PasswordStreams {
  readonly input: NodeJS.ReadStream
  readonly output: NodeJS.WritableStream
}

/**
 * On a terminal, prompts twice (the two must match) with echo off; otherwise reads all of
 * standard input, less one trailing newline.
 *
 * @param streams Standard input and where prompts go (standard error, so stdout stays the output).
 * @example
 * const password = await readNewPassword({ input: process.stdin, output: process.stderr })
 */
export async function readNewPassword(streams: PasswordStreams): Promise<string> {
  if (!streams.input.isTTY) return (await text(streams.input)).replace(/\r?\n$/, '')
  const password = await promptHidden(streams, 'Password: ')
  if ((await promptHidden(streams, 'Repeat password: ')) !== password) {
    throw new Error('the two passwords differ; nothing was changed')
  }
  return password
}

/** One line typed with echo off: Enter ends it, Backspace deletes, Ctrl-C cancels. */
function promptHidden({ input, output }: PasswordStreams, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let typed = ''
    input.setRawMode(true)
    input.setEncoding('utf8')
    output.write(prompt)
    const finish = (error?: Error) => {
      input.off('data', onData)
      input.setRawMode(false)
      input.pause()
      output.write('\n')
      if (error) reject(error)
      else resolve(typed)
    }
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish()
        if (char === '\u0003') return finish(new Error('cancelled; nothing was changed'))
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('')
        else if (char >= ' ') typed += char
      }
    }
    input.on('data', onData)
    input.resume()
  })
}
