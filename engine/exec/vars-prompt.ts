/**
 * A play's `vars_prompt:`, asked before the play selects its hosts (so `hosts:` may use an
 * answer), as Ansible 2.14's playbook executor and Display.do_var_prompt do: an extra var of the
 * same name answers without asking; without a terminal nothing is asked (a warning, then the
 * default, or Python's "None" when there is none); answers are text, encrypted or unsafe when
 * the entry says so, and become play vars.
 */
import { PlaybookError, errorMessage } from '../errors.js'
import { cryptPassword } from '../expr/filters-hash.js'
import { toStr } from '../expr/python.js'
import { UnsafeText } from '../expr/unsafe.js'
import { parse } from '../playbook/attrs.js'
import type { Play, VarPrompt } from '../playbook/types.js'
import { VarScope } from '../vars.js'

/** How questions reach the person running tsplay (the CLI's terminal; a test's answers). */
export interface Prompter {
  /** Asks one question and returns the answer; `hidden` for no echo (private). */
  ask(question: string, hidden: boolean): Promise<string>
  /** A line for the person (confirm's mismatch). */
  say(line: string): void
}

export interface PromptEnv {
  extraVars: Record<string, unknown>
  /** Undefined when there is no terminal to ask on. */
  prompter: Prompter | undefined
  warn(message: string): void
}

/** Ansible's warning when stdin is no terminal. */
export const NOT_INTERACTIVE = 'Not prompting as we are not in interactive mode'

const present = (value: unknown): boolean => value !== undefined && value !== null

/** The play with its prompts' answers among its vars (the play itself when it asks nothing). */
export async function promptedPlay(play: Play, env: PromptEnv): Promise<Play> {
  if (!play.varsPrompt?.length) return play
  // Ansible renders the entries with the play's variables first (a default may be "{{ other }}").
  const scope = new VarScope([
    { source: 'play vars', vars: play.attrs.vars ?? {} },
    { source: 'extra vars', vars: env.extraVars },
  ])
  const answers: Record<string, unknown> = {}
  for (const entry of play.varsPrompt) {
    if (Object.hasOwn(env.extraVars, entry.name)) continue
    answers[entry.name] = await answer(entry, rendered(entry, scope), env)
  }
  return { ...play, attrs: { ...play.attrs, vars: { ...play.attrs.vars, ...answers } } }
}

function rendered(entry: VarPrompt, scope: VarScope): Record<string, unknown> {
  try {
    return Object.fromEntries(Object.entries(entry.fields).map(([key, value]) => [key, scope.render(value)]))
  } catch (err) {
    throw new PlaybookError(`vars_prompt '${entry.name}': ${errorMessage(err)}`, entry.pos, { cause: err })
  }
}

async function answer(entry: VarPrompt, fields: Record<string, unknown>, env: PromptEnv): Promise<unknown> {
  const flag = (key: string, fallback: boolean): boolean => (present(fields[key]) ? parse.bool(fields[key], entry.pos, key) : fallback)
  const prompt = present(fields['prompt']) ? toStr(fields['prompt']) : entry.name
  const fallback = fields['default']
  let result: string | undefined
  if (env.prompter) {
    const question = prompt && present(fallback) ? `${prompt} [${toStr(fallback)}]: ` : prompt ? `${prompt}: ` : `input for ${entry.name}: `
    result = await ask(env.prompter, question, flag('private', true), flag('confirm', false))
  } else env.warn(NOT_INTERACTIVE)
  // Ansible: an empty answer takes the default; no answer and no default is str(None).
  const text = !result && present(fallback) ? toStr(fallback) : (result ?? 'None')
  const value = present(fields['encrypt']) ? encrypted(entry, text, fields) : text
  return flag('unsafe', false) ? new UnsafeText(value) : value
}

async function ask(prompter: Prompter, question: string, hidden: boolean, confirm: boolean): Promise<string> {
  for (;;) {
    const first = await prompter.ask(question, hidden)
    if (!confirm) return first
    if ((await prompter.ask(`confirm ${question}`, hidden)) === first) return first
    prompter.say('***** VALUES ENTERED DO NOT MATCH ****')
  }
}

function encrypted(entry: VarPrompt, text: string, fields: Record<string, unknown>): string {
  try {
    return cryptPassword(text, {
      hashtype: toStr(fields['encrypt']),
      ...(present(fields['salt']) ? { salt: toStr(fields['salt']) } : {}),
      ...(present(fields['salt_size']) ? { saltSize: parse.int(fields['salt_size'], entry.pos, 'salt_size') } : {}),
    })
  } catch (err) {
    throw new PlaybookError(`vars_prompt '${entry.name}': ${errorMessage(err)}`, entry.pos, { cause: err })
  }
}
