/**
 * The become methods tsplay implements, and what each one's password dialogue looks like.
 * Any other method (doas, pbrun, pfexec, dzdo, ksu, machinectl, runas, a typo) is refused:
 * running it with sudo instead would be a silent wrong result.
 */
export const BECOME_METHODS = ['sudo', 'su'] as const
export type BecomeMethod = (typeof BECOME_METHODS)[number]

/** The prompt sudo is told to print (`sudo -p`), so a connection knows when to send the password. */
export const BECOME_PROMPT = '[tsplay-become-password]:'

export function isBecomeMethod(name: string): name is BecomeMethod {
  return (BECOME_METHODS as readonly string[]).includes(name)
}

/** Ansible's full names of its built-in methods (`ansible.builtin.su`) mean the same ones. */
export function becomeMethodName(written: string): string {
  return written.replace(/^ansible\.(builtin|legacy)\./, '')
}

export function unsupportedMethodMessage(name: string): string {
  return `become method '${name}' is not supported by tsplay (it has: ${BECOME_METHODS.join(', ')})`
}

/**
 * Load-time check of a become method written in a playbook or an inventory: what is wrong with
 * it, or undefined. A templated value (`{{ ... }}`) is only known on a host, and is checked
 * there, before anything runs on it.
 */
export function staticMethodProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  const name = String(value)
  if (name.includes('{{') || name.includes('{%') || isBecomeMethod(becomeMethodName(name))) return undefined
  return unsupportedMethodMessage(name)
}

/**
 * su's prompt is PAM's, translated by the host's locale: Ansible's su plugin matches these words
 * (optionally "user's " before) at the start of a line, and so do we. The same list, in the
 * same order, as Ansible's SU_PROMPT_LOCALIZATIONS.
 */
export const SU_PROMPT_LOCALIZATIONS: readonly string[] = [
  'Password', '암호', 'パスワード', 'Adgangskode', 'Contraseña', 'Contrasenya', 'Hasło', 'Heslo', 'Jelszó',
  'Lösenord', 'Mật khẩu', 'Mot de passe', 'Parola', 'Parool', 'Pasahitza', 'Passord', 'Passwort', 'Salasana',
  'Sandi', 'Senha', 'Wachtwoord', 'ססמה', 'Лозинка', 'Парола', 'Пароль', 'गुप्तशब्द', 'शब्दकूट', 'సంకేతపదము',
  'හස්පදය', '密码', '密碼', '口令',
]

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Ansible's regular expression as it is: its `colon or fullwidth colon` suffix binds to the last
 * word only (the alternation is not grouped), so `Password` with no colon is a prompt too.
 * Matching the same lines as Ansible matters more than tidiness here.
 */
const SU_PROMPT = new RegExp(`^(?:${SU_PROMPT_LOCALIZATIONS.map((word) => `(?:\\w+'s )?${escapeRegExp(word)}`).join('|')} ?(?::|：) ?)`, 'i')
/** The colon after the word, to strip with the prompt when the match above stopped before it. */
const COLON = /^ ?(?::|：) ?/

/** The length of su's password prompt at the start of `line`, or 0 when the line is not one. */
export function suPromptLength(line: string): number {
  const word = SU_PROMPT.exec(line)?.[0]
  if (word === undefined) return 0
  return word.length + (COLON.exec(line.slice(word.length))?.[0].length ?? 0)
}

/**
 * Where each password prompt in `text` (a command's stderr so far) ends. sudo's prompt is the
 * marker we chose; su's is PAM's own, found line by line (it has no newline of its own: the
 * last, unfinished line counts too).
 */
export function promptEnds(text: string, method: BecomeMethod): number[] {
  const ends: number[] = []
  if (method === 'sudo') {
    for (let at = text.indexOf(BECOME_PROMPT); at !== -1; at = text.indexOf(BECOME_PROMPT, at + 1)) ends.push(at + BECOME_PROMPT.length)
    return ends
  }
  let start = 0
  for (const line of text.split('\n')) {
    const length = suPromptLength(line)
    if (length > 0) ends.push(start + length)
    start += line.length + 1
  }
  return ends
}
