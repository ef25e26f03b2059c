/**
 * The one command wait_for runs on the target: a POSIX polling loop with the deadline
 * inside, so a long wait costs one round trip. Exit 0: the condition holds (for a file
 * with search_regex, its content follows on stdout); 124: timed out; 3: a tool is missing.
 */
import { sh, type ShellCommand } from '../../engine/quote.js'

export interface WaitSpec {
  host: string
  port?: number | undefined
  path?: string | undefined
  /** started/present (true) or stopped/absent (false). */
  present: boolean
  regex?: string | undefined
  timeout: number
  delay: number
  sleep: number
  connectTimeout: number
}

/** A TCP connect from the target: bash's /dev/tcp, else nc; with search_regex, what the port sends is read. */
const PORT_CHECK = sh`port_open() {
  tmo=; if command -v timeout >/dev/null 2>&1; then tmo="timeout $ct"; fi
  if command -v bash >/dev/null 2>&1; then
    if [ -n "$re" ]; then $tmo bash -c 'exec 3<>"/dev/tcp/$1/$2" && cat <&3' _ "$h" "$port" 2>/dev/null | $G -q -e "$re"
    else $tmo bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$h" "$port" 2>/dev/null; fi
  elif command -v nc >/dev/null 2>&1; then
    if [ -n "$re" ]; then nc -w "$ct" "$h" "$port" </dev/null 2>/dev/null | $G -q -e "$re"
    else nc -z -w "$ct" "$h" "$port" >/dev/null 2>&1; fi
  else echo 'tsplay: wait_for needs bash or nc on the target to test a port' >&2; exit 3; fi
}`

function condition(s: WaitSpec): ShellCommand {
  if (s.port !== undefined) return s.present ? sh`port_open` : sh`! port_open`
  if (s.path !== undefined) {
    if (!s.present) return sh`[ ! -e "$f" ] && [ ! -L "$f" ]`
    return s.regex !== undefined ? sh`[ -f "$f" ] && $G -q -e "$re" -- "$f"` : sh`[ -e "$f" ]`
  }
  // Neither port nor path: Ansible just sleeps for the whole timeout.
  return sh`false`
}

export function waitScript(s: WaitSpec): ShellCommand {
  const found = s.path !== undefined && s.regex !== undefined && s.present ? sh`head -c 1048576 -- "$f"` : sh`:`
  const bare = s.port === undefined && s.path === undefined
  // Python's regex syntax is close to PCRE: use grep -P where grep has it, ERE otherwise.
  return sh`h=${s.host}; port=${s.port ?? 0}; f=${s.path ?? ''}; re=${s.regex ?? ''}; ct=${s.connectTimeout}
if grep -P '' /dev/null 2>/dev/null; [ $? -ne 2 ]; then G='grep -P'; else G='grep -E'; fi
${PORT_CHECK}
end=$(( $(date +%s) + ${s.timeout} ))
sleep ${s.delay}
while :; do
  if ${condition(s)}; then ${found}; exit 0; fi
  [ "$(date +%s)" -ge "$end" ] && exit ${bare ? 0 : 124}
  sleep ${s.sleep}
done`
}
