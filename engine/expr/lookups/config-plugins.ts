/**
 * The settings of the plugins lookup('config', ..., plugin_type=, plugin_name=) answers for:
 * Ansible 2.14's own definitions (each plugin's DOCUMENTATION options: type, default, ini,
 * env, vars) for the connection, shell and become plugins tsplay's runs stand in for. The
 * other plugins Ansible ships are named, so that a typo fails as Ansible's "Unable to load".
 */
import { opt, type Setting } from './config-settings.js'

/** Every plugin Ansible 2.14 ships, by type (ansible/plugins/<type>/). */
export const SHIPPED: Record<string, string[]> = {
  become: ['runas', 'su', 'sudo'],
  cache: ['jsonfile', 'memory'],
  callback: ['default', 'junit', 'minimal', 'oneline', 'tree'],
  cliconf: [],
  connection: ['local', 'paramiko_ssh', 'psrp', 'ssh', 'winrm'],
  httpapi: [],
  inventory: ['advanced_host_list', 'auto', 'constructed', 'generator', 'host_list', 'ini', 'script', 'toml', 'yaml'],
  lookup: ['config', 'csvfile', 'dict', 'env', 'file', 'fileglob', 'first_found', 'indexed_items', 'ini', 'inventory_hostnames', 'items', 'lines', 'list', 'nested', 'password', 'pipe', 'random_choice', 'sequence', 'subelements', 'template', 'together', 'unvault', 'url', 'varnames', 'vars'],
  netconf: [],
  shell: ['cmd', 'powershell', 'sh'],
  vars: ['host_group_vars'],
}

const ssh = 'ssh_connection'
const sshArgs = (dflt: string): Record<string, Setting> => ({
  ssh_args: opt('text', dflt, { ini: `${ssh}.ssh_args`, env: 'ANSIBLE_SSH_ARGS', vars: 'ansible_ssh_args' }),
  ssh_common_args: opt('text', '', { ini: `${ssh}.ssh_common_args`, env: 'ANSIBLE_SSH_COMMON_ARGS', vars: 'ansible_ssh_common_args' }),
  ssh_extra_args: opt('text', '', { ini: `${ssh}.ssh_extra_args`, env: 'ANSIBLE_SSH_EXTRA_ARGS', vars: 'ansible_ssh_extra_args' }),
})
const become = (name: string, exe: string, flags: string): Record<string, Setting> => ({
  become_user: opt('text', 'root', { ini: `privilege_escalation.become_user ${name}_become_plugin.user`, env: `ANSIBLE_BECOME_USER ANSIBLE_${name.toUpperCase()}_USER`, vars: `ansible_become_user ansible_${name}_user` }),
  become_exe: opt('text', exe, { ini: `privilege_escalation.become_exe ${name}_become_plugin.executable`, env: `ANSIBLE_BECOME_EXE ANSIBLE_${name.toUpperCase()}_EXE`, vars: `ansible_become_exe ansible_${name}_exe` }),
  become_flags: opt('text', flags, { ini: `privilege_escalation.become_flags ${name}_become_plugin.flags`, env: `ANSIBLE_BECOME_FLAGS ANSIBLE_${name.toUpperCase()}_FLAGS`, vars: `ansible_become_flags ansible_${name}_flags` }),
  become_pass: opt('text', null, { ini: `${name}_become_plugin.password`, env: `ANSIBLE_BECOME_PASS ANSIBLE_${name.toUpperCase()}_PASS`, vars: `ansible_become_password ansible_become_pass ansible_${name}_pass` }),
})

/** `type/name` -> option -> its definition. (`delegated_vars[...]` names of ssh's host are left out: no variable has them.) */
export const PLUGIN_SETTINGS: Record<string, Record<string, Setting>> = {
  'connection/ssh': {
    host: opt('text', 'inventory_hostname', { vars: 'inventory_hostname ansible_host ansible_ssh_host' }),
    host_key_checking: opt('bool', true, { ini: `defaults.host_key_checking ${ssh}.host_key_checking`, env: 'ANSIBLE_HOST_KEY_CHECKING ANSIBLE_SSH_HOST_KEY_CHECKING', vars: 'ansible_host_key_checking ansible_ssh_host_key_checking' }),
    password: opt('text', null, { vars: 'ansible_password ansible_ssh_pass ansible_ssh_password' }),
    sshpass_prompt: opt('text', '', { ini: `${ssh}.sshpass_prompt`, env: 'ANSIBLE_SSHPASS_PROMPT', vars: 'ansible_sshpass_prompt' }),
    ...sshArgs('-C -o ControlMaster=auto -o ControlPersist=60s'),
    ssh_executable: opt('text', 'ssh', { ini: `${ssh}.ssh_executable`, env: 'ANSIBLE_SSH_EXECUTABLE', vars: 'ansible_ssh_executable' }),
    sftp_executable: opt('text', 'sftp', { ini: `${ssh}.sftp_executable`, env: 'ANSIBLE_SFTP_EXECUTABLE', vars: 'ansible_sftp_executable' }),
    scp_executable: opt('text', 'scp', { ini: `${ssh}.scp_executable`, env: 'ANSIBLE_SCP_EXECUTABLE', vars: 'ansible_scp_executable' }),
    scp_extra_args: opt('text', '', { ini: `${ssh}.scp_extra_args`, env: 'ANSIBLE_SCP_EXTRA_ARGS', vars: 'ansible_scp_extra_args' }),
    sftp_extra_args: opt('text', '', { ini: `${ssh}.sftp_extra_args`, env: 'ANSIBLE_SFTP_EXTRA_ARGS', vars: 'ansible_sftp_extra_args' }),
    reconnection_retries: opt('int', 0, { ini: `connection.retries ${ssh}.retries`, env: 'ANSIBLE_SSH_RETRIES', vars: 'ansible_ssh_retries' }),
    port: opt('int', null, { ini: 'defaults.remote_port', env: 'ANSIBLE_REMOTE_PORT', vars: 'ansible_port ansible_ssh_port' }),
    remote_user: opt('text', null, { ini: 'defaults.remote_user', env: 'ANSIBLE_REMOTE_USER', vars: 'ansible_user ansible_ssh_user' }),
    pipelining: opt('bool', false, { ini: `defaults.pipelining connection.pipelining ${ssh}.pipelining`, env: 'ANSIBLE_PIPELINING ANSIBLE_SSH_PIPELINING', vars: 'ansible_pipelining ansible_ssh_pipelining' }),
    private_key_file: opt('text', null, { ini: 'defaults.private_key_file', env: 'ANSIBLE_PRIVATE_KEY_FILE', vars: 'ansible_private_key_file ansible_ssh_private_key_file' }),
    control_path: opt('text', null, { ini: `${ssh}.control_path`, env: 'ANSIBLE_SSH_CONTROL_PATH', vars: 'ansible_control_path' }),
    control_path_dir: opt('text', '~/.ansible/cp', { ini: `${ssh}.control_path_dir`, env: 'ANSIBLE_SSH_CONTROL_PATH_DIR', vars: 'ansible_control_path_dir' }),
    sftp_batch_mode: opt('bool', 'yes', { ini: `${ssh}.sftp_batch_mode`, env: 'ANSIBLE_SFTP_BATCH_MODE', vars: 'ansible_sftp_batch_mode' }),
    ssh_transfer_method: opt('text', null, { ini: `${ssh}.transfer_method`, env: 'ANSIBLE_SSH_TRANSFER_METHOD', vars: 'ansible_ssh_transfer_method' }),
    scp_if_ssh: opt('text', 'smart', { ini: `${ssh}.scp_if_ssh`, env: 'ANSIBLE_SCP_IF_SSH', vars: 'ansible_scp_if_ssh' }),
    use_tty: opt('bool', 'yes', { ini: `${ssh}.usetty`, env: 'ANSIBLE_SSH_USETTY', vars: 'ansible_ssh_use_tty' }),
    timeout: opt('int', 10, { ini: `defaults.timeout ${ssh}.timeout`, env: 'ANSIBLE_TIMEOUT ANSIBLE_SSH_TIMEOUT', vars: 'ansible_ssh_timeout' }),
    pkcs11_provider: opt('text', '', { ini: `${ssh}.pkcs11_provider`, env: 'ANSIBLE_PKCS11_PROVIDER', vars: 'ansible_ssh_pkcs11_provider' }),
  },
  'connection/local': {
    pipelining: opt('bool', false, { ini: 'defaults.pipelining connection.pipelining', env: 'ANSIBLE_PIPELINING', vars: 'ansible_pipelining' }),
  },
  'connection/paramiko_ssh': {
    remote_addr: opt('text', 'inventory_hostname', { vars: 'inventory_hostname ansible_host ansible_ssh_host ansible_paramiko_host' }),
    remote_user: opt('text', null, { ini: 'defaults.remote_user paramiko_connection.remote_user', env: 'ANSIBLE_REMOTE_USER ANSIBLE_PARAMIKO_REMOTE_USER', vars: 'ansible_user ansible_ssh_user ansible_paramiko_user' }),
    password: opt('text', null, { vars: 'ansible_password ansible_ssh_pass ansible_ssh_password ansible_paramiko_pass ansible_paramiko_password' }),
    use_rsa_sha2_algorithms: opt('bool', true, { ini: 'paramiko_connection.use_rsa_sha2_algorithms', env: 'ANSIBLE_PARAMIKO_USE_RSA_SHA2_ALGORITHMS', vars: 'ansible_paramiko_use_rsa_sha2_algorithms' }),
    host_key_auto_add: opt('bool', null, { ini: 'paramiko_connection.host_key_auto_add', env: 'ANSIBLE_PARAMIKO_HOST_KEY_AUTO_ADD' }),
    look_for_keys: opt('bool', true, { ini: 'paramiko_connection.look_for_keys', env: 'ANSIBLE_PARAMIKO_LOOK_FOR_KEYS' }),
    proxy_command: opt('text', '', { ini: 'paramiko_connection.proxy_command', env: 'ANSIBLE_PARAMIKO_PROXY_COMMAND' }),
    ...sshArgs(''),
    pty: opt('bool', true, { ini: 'paramiko_connection.pty', env: 'ANSIBLE_PARAMIKO_PTY' }),
    record_host_keys: opt('bool', true, { ini: 'paramiko_connection.record_host_keys', env: 'ANSIBLE_PARAMIKO_RECORD_HOST_KEYS' }),
    host_key_checking: opt('bool', true, { ini: 'defaults.host_key_checking paramiko_connection.host_key_checking', env: 'ANSIBLE_HOST_KEY_CHECKING ANSIBLE_SSH_HOST_KEY_CHECKING ANSIBLE_PARAMIKO_HOST_KEY_CHECKING', vars: 'ansible_host_key_checking ansible_ssh_host_key_checking ansible_paramiko_host_key_checking' }),
    use_persistent_connections: opt('bool', false, { ini: 'defaults.use_persistent_connections', env: 'ANSIBLE_USE_PERSISTENT_CONNECTIONS' }),
    banner_timeout: opt('float', 30, { ini: 'paramiko_connection.banner_timeout', env: 'ANSIBLE_PARAMIKO_BANNER_TIMEOUT' }),
  },
  'shell/sh': {
    remote_tmp: opt('text', '~/.ansible/tmp', { ini: 'defaults.remote_tmp', env: 'ANSIBLE_REMOTE_TEMP ANSIBLE_REMOTE_TMP', vars: 'ansible_remote_tmp' }),
    common_remote_group: opt('text', null, { ini: 'defaults.common_remote_group', env: 'ANSIBLE_COMMON_REMOTE_GROUP', vars: 'ansible_common_remote_group' }),
    system_tmpdirs: opt('list', ['/var/tmp', '/tmp'], { ini: 'defaults.system_tmpdirs', env: 'ANSIBLE_SYSTEM_TMPDIRS', vars: 'ansible_system_tmpdirs' }),
    async_dir: opt('text', '~/.ansible_async', { ini: 'defaults.async_dir', env: 'ANSIBLE_ASYNC_DIR', vars: 'ansible_async_dir' }),
    environment: opt('list', [{}]),
    admin_users: opt('list', ['root', 'toor'], { ini: 'defaults.admin_users', env: 'ANSIBLE_ADMIN_USERS', vars: 'ansible_admin_users' }),
    world_readable_temp: opt('bool', false, { ini: 'defaults.allow_world_readable_tmpfiles', env: 'ANSIBLE_SHELL_ALLOW_WORLD_READABLE_TEMP', vars: 'ansible_shell_allow_world_readable_temp' }),
  },
  'become/sudo': become('sudo', 'sudo', '-H -S -n'),
  'become/su': {
    ...become('su', 'su', ''),
    prompt_l10n: opt('list', [], { ini: 'su_become_plugin.localized_prompts', env: 'ANSIBLE_SU_PROMPT_L10N', vars: 'ansible_su_prompt_l10n' }),
  },
}
