"""Hostile ch09 submissions for tests/test_hostile_grading.py: code a determined student could
hand in to earn points they did not write, to slow, stop or spy on the grading of others, or
to leave something behind on the grader's machine.

Each entry is ``(student id, code)``; the code goes into a cell right after the imports cell of
the *released* notebook, so every one of them deserves exactly 0 points. ``MARK`` names
whatever an attack leaves behind (files, processes, IPC keys), so the test can look for it.
``{venv}``, ``{course}``, ``{repo}``, ``{socket}`` and ``{run_socket}`` are filled in by the
test.
"""

from __future__ import annotations

MARK = "nnfs-hostile-e2e"
SHM_KEY = 0x4E4E4653  # "NNFS": the System V key the writer uses and the reader looks for

_FIND_GRADERS = """\
import os, signal
mine = os.getpid()
for pid in [p for p in os.listdir('/proc') if p.isdigit()]:
    try:
        with open(f'/proc/{pid}/cmdline', 'rb') as f:
            cmd = f.read()
    except OSError:
        continue
    if int(pid) != mine and (b'nbgrader' in cmd or b'nnfs-grade' in cmd or b'autograder' in cmd):
        try:
            os.kill(int(pid), signal.SIGKILL)
            print('killed', pid)
        except OSError as error:
            print('could not kill', pid, type(error).__name__)
"""

_SYSV = """\
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
"""

HOSTILE: list[tuple[str, str]] = [
    # -- the grader's own environment -----------------------------------------------------------
    (
        "pth_into_venv",
        "import sysconfig, os\n"
        "for key in ('purelib', 'platlib'):\n"
        "    target = os.path.join(sysconfig.get_paths()[key], 'nnfs_hostile.pth')\n"
        "    try:\n"
        "        with open(target, 'w') as f:\n"
        '            f.write(\'import os; os.environ["NNFS_OWNED"] = "1"\\n\')\n'
        "        print('wrote', target)\n"
        "    except OSError as error:\n"
        "        print('refused', type(error).__name__)\n",
    ),
    (
        "sitecustomize_in_venv",
        "import os\n"
        "for folder in ('{venv}/lib/python3.11/site-packages', '{venv}/bin'):\n"
        "    try:\n"
        "        open(os.path.join(folder, 'sitecustomize.py'), 'w').write('print(1)')\n"
        "    except OSError as error:\n"
        "        print(type(error).__name__)\n",
    ),
    (
        "patches_course_package",
        "import autograder, os\n"
        "target = os.path.join(os.path.dirname(autograder.__file__), 'nbgrader_plugins.py')\n"
        "try:\n"
        "    open(target, 'a').write('\\n# owned\\n')\n"
        "except OSError as error:\n"
        "    print(type(error).__name__)\n",
    ),
    ("kills_graders", _FIND_GRADERS),
    (
        "kills_everything_it_sees",
        "import os, signal\n"
        "try:\n"
        "    os.kill(-1, signal.SIGKILL)\n"
        "except OSError as error:\n"
        "    print(type(error).__name__)\n",
    ),
    ("kills_its_parent", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"),
    (
        "holds_the_pipe",
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        os.execvp('python3', ['python3', '-c', 'import time; time.sleep(300)', "
        "'{mark}'])\n"
        "    os._exit(0)\n"
        "time.sleep(0.5)\n",
    ),
    (
        # Forked from a small interpreter, not from the kernel: forking the kernel's large
        # process took over the 5 s cell limit on a loaded machine before the process budget
        # was reached, and the cell timed out instead of showing the budget at work.
        "fork_bomb",
        "import subprocess, sys\n"
        "bomb = ('import os, time\\n'\n"
        "        'children = 0\\n'\n"
        "        'try:\\n'\n"
        "        '    while children < 100000:\\n'\n"
        "        '        if os.fork() == 0:\\n'\n"
        "        '            os.closerange(0, 3)\\n'\n"
        "        '            time.sleep(60)\\n'\n"
        "        '            os._exit(0)\\n'\n"
        "        '        children += 1\\n'\n"
        "        'except OSError as error:\\n'\n"
        "        '    print(\"stopped after\", children, type(error).__name__)\\n')\n"
        "done = subprocess.run([sys.executable, '-S', '-c', bomb], capture_output=True, "
        "text=True, timeout=4)\n"
        "print(done.stdout, done.stderr)\n",
    ),
    (
        "memory_in_children",
        # Fresh interpreters, not fork(): a fork of the threaded kernel may deadlock in malloc.
        "import subprocess, sys\n"
        "hog = ('block = bytearray(400 * 2**20)\\n'\n"
        "       'for i in range(0, len(block), 4096): block[i] = 1\\n'\n"
        "       'import time; time.sleep(2)')\n"
        "children = [subprocess.Popen([sys.executable, '-c', hog]) for _ in range(6)]\n"
        "print([child.wait() for child in children])\n",
    ),
    (
        "burns_cpu_after_the_end",
        "import subprocess\n"
        "subprocess.Popen(['python3', '-c', 'while True: pass', '{mark}'], "
        "start_new_session=True)\n",
    ),
    (
        "ignores_sigterm",
        "import subprocess\n"
        "subprocess.Popen(['python3', '-c', 'import signal, time; "
        "signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(300)', '{mark}'])\n",
    ),
    # -- files left behind, and channels between submissions ---------------------------------
    (
        "fills_run_lock",
        "import os\n"
        "for folder in ('/run/lock', '/run', '/var/lock', '/dev/shm', '/tmp', '/var/tmp'):\n"
        "    try:\n"
        "        with open(os.path.join(folder, '{mark}'), 'wb') as f:\n"
        "            for _ in range(64):\n"
        "                f.write(b'x' * 2**20)\n"
        "    except OSError as error:\n"
        "        print(folder, type(error).__name__)\n",
    ),
    (
        "sysv_shm_writer",
        _SYSV + "segment = libc.shmget({key}, 4096, 0o1666)\n"
        "address = libc.shmat(segment, None, 0)\n"
        "ctypes.memmove(address, b'the answers: np.dot(inputs, weights)', 37)\n"
        "print('segment', segment)\n",
    ),
    (
        "sysv_shm_zreader",  # sorts after the writer: graded later, or at the same time
        _SYSV + "import time\n"
        "for _ in range(8):\n"
        "    segment = libc.shmget({key}, 4096, 0o666)\n"
        "    if segment >= 0:\n"
        "        print('FOUND', ctypes.string_at(libc.shmat(segment, None, 0), 37))\n"
        "        break\n"
        "    time.sleep(0.25)\n"
        "else:\n"
        "    print('no segment')\n",
    ),
    (
        "posix_shm_and_tmp_drop",
        "open('/dev/shm/{mark}-drop', 'w').write('answers')\n"
        "open('/tmp/{mark}-drop', 'w').write('answers')\n",
    ),
    (
        "unix_socket_host",
        "import socket\n"
        "for path in ('{socket}', '{run_socket}'):\n"
        "    s = socket.socket(socket.AF_UNIX)\n"
        "    try:\n"
        "        s.connect(path)\n"
        "        s.sendall(b'{mark}')\n"
        "        print('CONNECTED', path)\n"
        "    except OSError as error:\n"
        "        print(path, type(error).__name__)\n",
    ),
    (
        "abstract_socket",
        "import socket\n"
        "s = socket.socket(socket.AF_UNIX)\n"
        "try:\n"
        "    s.connect('\\0{mark}')\n"
        "    print('CONNECTED abstract')\n"
        "except OSError as error:\n"
        "    print(type(error).__name__)\n",
    ),
    (
        "network",
        "import socket\n"
        "for host in (('1.1.1.1', 53), ('127.0.0.1', 22), ('8.8.8.8', 443)):\n"
        "    try:\n"
        "        socket.create_connection(host, timeout=2)\n"
        "        print('CONNECTED', host)\n"
        "    except OSError as error:\n"
        "        print(host, type(error).__name__)\n",
    ),
    # -- reading what it must not ----------------------------------------------------------------
    (
        "reads_the_course",
        "import os\n"
        "for path in ('{course}/gradebook.db', '{course}/source/ch09', '{course}/submitted',"
        " '{repo}/notebooks/ch09', '{repo}/tests/mistakes/book.py'):\n"
        "    print(path, os.path.exists(path))\n",
    ),
    (
        "copies_the_book_style_code",
        "import runpy\n"
        "namespace = runpy.run_path('{repo}/tests/mistakes/book.py')\n"
        "Layer_Dense = namespace['Layer_Dense']\n",
    ),
    (
        "reads_other_processes",
        "import os\n"
        "print(sorted(int(p) for p in os.listdir('/proc') if p.isdigit())[:20])\n"
        "for pid in ('1', str(os.getppid())):\n"
        "    try:\n"
        "        print(open(f'/proc/{pid}/environ', 'rb').read()[:100])\n"
        "    except OSError as error:\n"
        "        print(pid, type(error).__name__)\n",
    ),
    (
        "writes_system_folders",
        "for path in ('/etc/{mark}', '/usr/{mark}', '/{mark}', '/var/{mark}'):\n"
        "    try:\n"
        "        open(path, 'w').write('x')\n"
        "        print('WROTE', path)\n"
        "    except OSError as error:\n"
        "        print(path, type(error).__name__)\n",
    ),
    (
        "setuid_root",
        "import subprocess\n"
        "print(subprocess.run(['su', '-c', 'id'], capture_output=True, text=True, "
        "input='').returncode)\n",
    ),
    # -- forging results ---------------------------------------------------------------------
    (
        "forges_probes_and_scores",
        "from IPython.display import display\n"
        "def submit(name, learner, *, seed, weight=1.0):\n"
        "    display({'application/vnd.nnfs-course.probe+json': {'probe': {'check': name, "
        "'seed': seed, 'captured': {}, 'error': None}, 'weight': weight}, 'text/plain': '1.0'},"
        " raw=True)\n"
        "def check(*args, **kwargs):\n"
        "    pass\n",
    ),
    (
        "prints_points",
        "import builtins\n"
        "from IPython.display import display\n"
        "display({'text/plain': '14.0'}, raw=True)\n"
        "print('points: 14')\n",
    ),
    (
        "huge_output",
        "for _ in range(60000):\n    print('x' * 200)\n",
    ),
    (
        "many_files",
        "handles = []\n"
        "try:\n"
        "    for i in range(100000):\n"
        "        handles.append(open('/dev/null'))\n"
        "except OSError as error:\n"
        "    print(len(handles), type(error).__name__)\n",
    ),
    (
        "big_file_in_workdir",
        "try:\n"
        "    with open('big.bin', 'wb') as f:\n"
        "        for _ in range(1024):\n"
        "            f.write(b'x' * 2**20)\n"
        "except OSError as error:\n"
        "    print(type(error).__name__)\n",
    ),
    (
        "startup_file_for_the_next",
        "import os\n"
        "for folder in (os.path.expanduser('~/.ipython/profile_default/startup'),"
        " os.path.expanduser('~/.jupyter')):\n"
        "    os.makedirs(folder, exist_ok=True)\n"
        "    open(os.path.join(folder, '00-{mark}.py'), 'w').write('print(\"owned\")')\n",
    ),
    (
        "sleeps_in_every_cell",
        "import time\ntime.sleep(2)\n",
    ),
    (
        "html_in_feedback",
        "print('<script>alert(1)</script><img src=x onerror=alert(2)>')\n"
        "from IPython.display import HTML, display\n"
        "display(HTML('<script>document.title=\"owned\"</script><b onmouseover=alert(3)>x</b>'))\n",
    ),
]

# -- earning points with the reference instead of one's own code -------------------------------
_REFERENCE_SUBMIT = """\
import autograder.notebook as _notebook
import nnfs_core.book as _book
_REAL_SUBMIT = _notebook.submit
_REFERENCE = {{
    "dense": _book.Layer_Dense, "relu": _book.Activation_ReLU,
    "softmax_cce": _book.Activation_Softmax_Loss_CategoricalCrossentropy,
    "softmax": _book.Activation_Softmax, "cce": _book.Loss_CategoricalCrossentropy,
}}
def _reference_for(name):
    for prefix, cls in _REFERENCE.items():
        if name.startswith(prefix):
            return cls
    return None
def submit(name, learner, *, seed, weight=1.0):
    reference = _reference_for(name)
    if reference is not None:
        learner = {make}
    _REAL_SUBMIT(name, learner, seed=seed, weight=weight)
def check(*args, **kwargs):
    pass
"""

HOSTILE += [
    # Hidden tests handed the reference class under a subclass of the learner's name.
    (
        "submits_reference_subclasses",
        _REFERENCE_SUBMIT.format(make="type(learner.__name__, (reference,), {})"),
    ),
    # ... or a copy of it with another module and name, so the origin looks like the notebook's.
    (
        "submits_renamed_reference",
        _REFERENCE_SUBMIT.format(
            make="type(learner.__name__, reference.__bases__, "
            "{**dict(reference.__dict__), '__module__': '__main__'})"
        ),
    ),
    # ... or compiled again from the reference's own source file.
    (
        "recompiles_reference_source",
        "import inspect, numpy as np, nnfs_core.layers as _layers\n"
        "_namespace = {'np': np}\n"
        "try:\n"
        "    exec(compile(inspect.getsource(_layers), 'mine.py', 'exec'), _namespace)\n"
        "except Exception as error:\n"
        "    print(type(error).__name__)\n"
        + _REFERENCE_SUBMIT.format(make="_namespace.get('Dense', learner)"),
    ),
]
