"""Ralph's LRS on its filesystem backend, as bench/xapi_ingest.py compares with it.

    <ralph venv>/bin/python bench/ralph/serve.py DIRECTORY PORT USERNAME PASSWORD

Runs in Ralph's own venv (bench/ralph/requirements.txt), never the project's.
Statements go to DIRECTORY/fs_lrs.jsonl; HTTP Basic credentials as Ralph documents
them (an auth file of users with a bcrypt hash, an agent and scopes). Ralph's
filesystem backend writes with its backends' default operation, ``index``, which
creates the file and refuses to write to it again: the first request would be the
only one stored. Switched here to ``append``, so every request adds to the file.
"""

import json
import os
import sys
from pathlib import Path


def main(directory: str, port: str, username: str, password: str) -> None:
    import bcrypt

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    auth = folder / "auth.json"
    auth.write_text(json.dumps([{
        "agent": {"mbox": f"mailto:{username}@example.org", "objectType": "Agent"},
        "scopes": ["all"], "username": username,
        "hash": bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode(),
    }]))
    # Ralph reads its settings from the environment when it is imported
    os.environ.update({
        "RALPH_APP_DIR": str(folder),
        "RALPH_AUTH_FILE": str(auth),
        "RALPH_RUNSERVER_AUTH_BACKENDS": "basic",
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder),
        "RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH": str(folder),
    })
    import uvicorn
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend

    FSLRSBackend.default_operation_type = BaseOperationType.APPEND
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(port),
                log_level="warning", access_log=False)


if __name__ == "__main__":
    main(*sys.argv[1:])
