# scripts/compat-targets.mjs's view of an ansible-playbook run inside a target: one JSON line per
# task result (its file:line, status and message), appended to the file named by TARGETS_LOG.
# A notification callback, so the stdout callback (and the text runme.sh greps) stays Ansible's own.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = '''
    name: targets_log
    type: notification
    short_description: task results as JSON lines, for tsplay's target scoring
    description:
        - Appends one JSON line per task result to the file named by TARGETS_LOG.
'''

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'notification'
    CALLBACK_NAME = 'targets_log'
    CALLBACK_NEEDS_ENABLED = True

    def _log(self, result, status, ignored=False):
        path = os.environ.get('TARGETS_LOG')
        if not path:
            return
        msg = result._result.get('msg', '') if isinstance(result._result, dict) else ''
        line = {'path': result._task.get_path(), 'status': status, 'ignored': bool(ignored), 'msg': str(msg).split('\n')[0]}
        with open(path, 'a') as log:
            log.write(json.dumps(line) + '\n')

    def v2_runner_on_ok(self, result):
        self._log(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._log(result, 'failed', ignore_errors)

    def v2_runner_on_skipped(self, result):
        self._log(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._log(result, 'unreachable')
