/**
 * The module contract. A module is one file exporting `defineModule({...})`:
 * a typed argument schema, a `plan` that only reads, and an `apply` that writes.
 * `--check` calls `plan` alone; the plan context has no way to write.
 */
import type { ExecOptions, ExecResult, Become } from './connection/types.js'
import type { FileDiff } from './diff.js'
import type { SourcePos } from './errors.js'
import type { ShellCommand } from './quote.js'
import type { TemplateFileOptions } from './exec/jinja-options.js'

export type ArgType = 'str' | 'path' | 'int' | 'float' | 'bool' | 'list' | 'dict' | 'raw' | 'mode'
export type ElementType = 'str' | 'path' | 'int' | 'dict' | 'raw'

/** One argument, as Ansible's argument_spec: type, choices, default, aliases, secret. */
export interface ArgSpec {
  type: ArgType
  /** One sentence for `tsplay doc` and the JSON Schema. */
  description: string
  required?: boolean
  default?: unknown
  choices?: readonly (string | number | boolean)[]
  aliases?: readonly string[]
  /** Element type of a list. */
  elements?: ElementType
  /** A password or key: never shown in output, diffs, JSON or errors. */
  secret?: boolean
  /**
   * A plain YAML scalar given here is the text written (`content: yes` is `yes`), as for a `str`
   * argument, though the argument takes a mapping or list too (copy's content).
   */
  scalarAsText?: boolean
  /**
   * A bare expression the module evaluates itself, as `when:` is (assert's `that`, debug's
   * `var`): the executor hands it over as written, unrendered, so that text a template read
   * from a host can never become an expression.
   */
  expression?: boolean
}

export type ArgSchema = Readonly<Record<string, ArgSpec>>

type ElementValue<E> = E extends 'str' | 'path'
  ? string
  : E extends 'int'
    ? number
    : E extends 'dict'
      ? Record<string, unknown>
      : unknown

type BaseValue<S extends ArgSpec> = S['type'] extends 'str' | 'path' | 'mode'
  ? string
  : S['type'] extends 'int' | 'float'
    ? number
    : S['type'] extends 'bool'
      ? boolean
      : S['type'] extends 'list'
        ? ElementValue<S['elements']>[]
        : S['type'] extends 'dict'
          ? Record<string, unknown>
          : unknown

type SpecValue<S extends ArgSpec> = S extends { choices: readonly (infer C)[] } ? C : BaseValue<S>

/** The validated, coerced arguments a module's plan and apply receive. */
export type ArgValues<A extends ArgSchema> = {
  -readonly [K in keyof A]: A[K] extends { required: true } | { default: NonNullable<unknown> }
    ? SpecValue<A[K]>
    : SpecValue<A[K]> | undefined
}

/**
 * What a module's plan found: the changes apply would make. `D` is the module's own data handed
 * from plan to apply (the commands it decided, the decision itself); a plan that calls for
 * apply (changed, or unknowable in a real run) carries it.
 */
export interface Plan<D = undefined> {
  /** True when apply has something to do. */
  changed: boolean
  /** Short words for what apply will do ("create /etc/x", "chmod 0644"), shown with -v. */
  actions?: string[]
  /** Before/after of what would change, shown under --diff. */
  diff?: FileDiff[]
  /** Values for `register:` known without writing (stat results, msg, ...). */
  result?: Record<string, unknown>
  /**
   * The module cannot know the outcome without doing it (`command` without creates/removes):
   * a real run calls apply; check mode reports the task as skipped with this reason.
   */
  unknowable?: string
  /** The task fails with this message (assert, fail, a plan-time check). */
  failed?: string
  /**
   * The commands apply will run, when plan can decide them from the arguments and what it read
   * (file writes aside, which the diff shows): `--check` lists them at -vvvv as "would run".
   */
  commands?: readonly ShellCommand[]
  /** Module-private data handed from plan to apply. */
  data?: D
}

/** A plan with its data wrapped: a module that delegates to a backend (package -> apt) keeps the backend's plan and says whose data it is. */
export function wrapPlanData<I, D>(plan: Plan<I>, wrap: (inner: I) => D): Plan<D> {
  const { data, ...rest } = plan
  return data === undefined ? rest : { ...rest, data: wrap(data) }
}

/** A side-effect-free remote read: a command plus a parser, cached per host and argument. */
export interface FactDef<T, A = string> {
  name: string
  command(arg: A): ShellCommand
  parse(result: ExecResult, arg: A): T
}

export function defineFact<T, A = string>(def: FactDef<T, A>): FactDef<T, A> {
  return def
}

export interface TaskInfo {
  name: string
  pos?: SourcePos
  noLog: boolean
}

/** Read-only view of the task's variables (templates resolved on access). */
export interface VarsView {
  get(name: string): unknown
  has(name: string): boolean
  /** All names visible to the task. */
  names(): string[]
}

/** How a command that must succeed runs, and what its failure says. */
export interface RunOptions extends Omit<ExecOptions, 'become'> {
  /** The task's failure message (default: the command's stderr, or its exit code). */
  failure?: (output: ExecResult) => string
  /** A failure the exit code does not show (sysctl prints its error and exits 0). */
  fails?: (output: ExecResult) => boolean
  /** Values the failed task's result carries besides rc, stdout and stderr. */
  result?: (output: ExecResult) => Record<string, unknown>
}

/** What `plan` may use: reads only. */
export interface PlanContext {
  readonly host: string
  readonly check: boolean
  /** --diff is on for this task. */
  readonly diff: boolean
  readonly task: TaskInfo
  readonly become: Become | undefined
  /** Gathered facts (ansible_* names); empty when gather_facts is false and setup did not run. */
  readonly facts: Readonly<Record<string, unknown>>
  readonly vars: VarsView
  /**
   * Runs a side-effect-free command (as the task's become user) whose exit code is an answer
   * (`test -e`, `systemctl is-active`): it never fails the task itself.
   */
  probe(command: ShellCommand, options?: Omit<ExecOptions, 'become'>): Promise<ExecResult>
  /** Runs a side-effect-free command that must succeed: a non-zero exit throws a CommandError. */
  read(command: ShellCommand, options?: RunOptions): Promise<ExecResult>
  /** A cached fact of this host. */
  fact<T, A>(fact: FactDef<T, A>, arg: A): Promise<T>
  /**
   * Declares what a fact will read once this task's change is made. In check mode the value
   * stands in for the host's state for the rest of the run, so a later task plans against what
   * the earlier ones would have done (a lineinfile on a file a copy would create). In a real run
   * it does nothing: apply makes the change and the facts are read again.
   */
  predict<T, A>(fact: FactDef<T, A>, arg: A, value: T): void
  /** Evaluates a bare expression (as in `when:`) over the task's variables. */
  evaluate(expression: string): unknown
  /** `{{ expression }}` rendered as a playbook string is (text read back, Ansible's convert_bare): debug's var. */
  template(expression: string): unknown
  /** Resolves a `src:` on the controller: role files/ or templates/, then the playbook's folder. */
  findControllerFile(kind: 'files' | 'templates' | 'vars', src: string): string
  /** Renders a template file on the controller with the task's variables: `*.ejs` as EJS, others as Jinja2. */
  renderTemplate(path: string, options?: TemplateFileOptions): Promise<string>
  /** A line of detail shown at -v (level 1) and above. */
  log(message: string, level?: 1 | 2 | 3 | 4): void
}

export interface WriteOptions {
  /** Octal string such as '0644' or symbolic such as 'u=rw,g=r'. */
  mode?: string
  owner?: string
  group?: string
  /** Keep a timestamped copy of the file being replaced; its path is returned. */
  backup?: boolean
  /** A command with %s, run on the temporary file; the file is only put in place if it succeeds. */
  validate?: string
}

/** What `apply` may use: everything plan has, plus writes. */
export interface ApplyContext extends PlanContext {
  /** Runs a command that must succeed: a non-zero exit (or a signal) throws a CommandError. */
  run(command: ShellCommand, options?: RunOptions): Promise<ExecResult>
  /** Runs a command whose exit code the module reads itself (`command`, a test it branches on): it never throws for a non-zero exit. */
  exec(command: ShellCommand, options?: Omit<ExecOptions, 'become'>): Promise<ExecResult>
  /** Writes a file atomically: a temporary file beside the target, owner and mode set, validated, renamed into place. */
  writeFile(path: string, content: string | Buffer, options?: WriteOptions): Promise<{ backupFile?: string }>
}

/** The one command a module's apply would run (command, shell), which `async:` runs detached on the host instead. */
export interface BackgroundCommand {
  command: ShellCommand
  cwd?: string | undefined
  /** Text for the command's standard input. */
  stdin?: string | undefined
  /** The result's `cmd`. */
  display: string | string[]
  /** Strip trailing newlines from stdout and stderr in the result. */
  stripEmptyEnds: boolean
}

export interface ModuleDefinition<A extends ArgSchema = ArgSchema, D = undefined> {
  name: string
  /** One line for `tsplay doc`. */
  description: string
  args: A
  /** The argument that takes the free-form text (`command: ls -l` -> cmd). */
  freeForm?: keyof A & string
  mutuallyExclusive?: readonly (readonly (keyof A & string)[])[]
  requiredOneOf?: readonly (readonly (keyof A & string)[])[]
  /** [arg, value, args required when arg == value] */
  requiredIf?: readonly (readonly [keyof A & string, unknown, readonly (keyof A & string)[]])[]
  /** Runs on the controller only and needs no connection (debug, set_fact, assert, fail). */
  controllerOnly?: boolean
  /** Takes any argument names besides those in `args` (set_fact: the names are the variables). */
  anyArgs?: boolean
  /**
   * A check of the arguments the loader runs, with only those whose values hold no template:
   * what is wrong, or undefined. It catches before any host is contacted what the schema cannot
   * express (template: a src tsplay cannot render).
   */
  checkAtLoad?(args: Readonly<Record<string, unknown>>): string | undefined
  /**
   * A rule across arguments that the lists above cannot express (lineinfile: line is required
   * with state=present): what is wrong, or undefined. It runs on the validated arguments when the
   * playbook loads, where a value may still be a template (so compare values with ===, and test
   * presence with !== undefined), and again on the rendered arguments before plan, where its
   * message is the task's failure.
   */
  checkArgs?(args: Readonly<Record<string, unknown>>): string | undefined
  /**
   * Under `async:`, the command apply would run, run detached on the host so that it outlives the
   * connection (its result lands in ~/.ansible_async/<jid>). A module without it runs plan and
   * apply on the controller, which keeps the job's record on the host (docs/decisions.md).
   */
  background?(args: ArgValues<A>): BackgroundCommand
  /** `async:` fails the task, as Ansible's action for the module refuses it (copy, template). */
  noAsync?: boolean
  plan(ctx: PlanContext, args: ArgValues<A>): Promise<Plan<D>>
  /**
   * Makes the changes plan found, given the plan's data; never called in check mode. Returns
   * extra values for `register:`.
   */
  apply?(ctx: ApplyContext, args: ArgValues<A>, data: D): Promise<Record<string, unknown> | void>
}

/**
 * Any module, with its argument and plan data types erased (what the registry and executor
 * hold): the executor only hands a module's own plan data back to that module's apply.
 */
export type AnyModule = ModuleDefinition<ArgSchema, unknown>

export function defineModule<const A extends ArgSchema, D = undefined>(def: ModuleDefinition<A, D>): AnyModule {
  return def as unknown as AnyModule
}
