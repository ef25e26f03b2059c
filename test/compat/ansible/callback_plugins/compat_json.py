# The differential harness's view of an ansible-playbook run: one JSON document, in the shape of
# tsplay's --json (plays -> tasks -> per-host results, then the recap), so test/compat/ can compare
# the two tools task by task. ansible-core alone ships no JSON callback (it lives in collections,
# which are not installed here), hence this small one.
# Written to the file named by TSPLAY_COMPAT_JSON (stdout when unset), once, when the run ends.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = '''
    name: compat_json
    type: stdout
    short_description: one JSON document per run, for tsplay's differential harness
    description:
        - Records every task's per-host result and the recap, and writes them as JSON at the end.
'''

import json
import os
import sys

from ansible.plugins.callback import CallbackBase


def _plain(value):
    """Ansible's result values may hold its own string and mapping classes: make them JSON."""
    return json.loads(json.dumps(value, default=str))


def _clean(result):
    # Internal keys (_ansible_no_log, _ansible_verbose_always, ...) are Ansible's bookkeeping.
    if isinstance(result, dict):
        return dict((k, _clean(v)) for k, v in result.items() if not k.startswith('_ansible'))
    if isinstance(result, list):
        return [_clean(v) for v in result]
    return result


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'compat_json'

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.plays = []
        self.stats = {}
        self.warnings = []

    def v2_playbook_on_play_start(self, play):
        hosts = [h.name for h in play.get_variable_manager()._inventory.get_hosts(play.hosts)] if play.get_variable_manager() else []
        self.plays.append({'play': {'name': play.get_name(), 'hosts': hosts}, 'tasks': []})

    def _start(self, task, handler):
        if not self.plays:
            self.plays.append({'play': {'name': '', 'hosts': []}, 'tasks': []})
        self.plays[-1]['tasks'].append({
            'task': {'name': task.get_name(), 'action': task.action, 'handler': handler, 'path': task.get_path()},
            'hosts': {},
        })

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._start(task, False)

    def v2_playbook_on_handler_task_start(self, task):
        self._start(task, True)

    def _record(self, result, status, ignored=False):
        if not self.plays or not self.plays[-1]['tasks']:
            self._start(result._task, False)
        host = _plain(_clean(result._result))
        host['status'] = status
        host['changed'] = bool(result._result.get('changed', False))
        if status == 'failed':
            host['failed'] = True
        if status == 'skipped':
            host['skipped'] = True
        if status == 'unreachable':
            host['unreachable'] = True
        if ignored:
            host['ignored'] = True
        # Results arrive in the order hosts finish; the task they belong to is the last started
        # one, except for include results that name their own task.
        self.plays[-1]['tasks'][-1]['hosts'][result._host.get_name()] = host

    def v2_runner_on_ok(self, result):
        self._record(result, 'changed' if result._result.get('changed', False) else 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'failed', ignore_errors)

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._record(result, 'unreachable')

    def v2_playbook_on_stats(self, stats):
        for host in sorted(stats.processed.keys()):
            s = stats.summarize(host)
            self.stats[host] = {
                'ok': s['ok'], 'changed': s['changed'], 'unreachable': s['unreachable'],
                'failed': s['failures'], 'skipped': s['skipped'], 'rescued': s['rescued'], 'ignored': s['ignored'],
            }
        document = json.dumps({'plays': self.plays, 'stats': self.stats, 'warnings': self.warnings}, indent=2, default=str)
        target = os.environ.get('TSPLAY_COMPAT_JSON')
        if target:
            with open(target, 'w') as f:
                f.write(document)
        else:
            sys.stdout.write(document + '\n')
