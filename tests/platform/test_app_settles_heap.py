"""The web app's start-up takes what it built out of the garbage collector's generations (gc.freeze):
without it a full collection under load walks every route, Struct and module of the app, a stall of
0.3-0.5 s for every request in flight (docs/performance.md, gateway overhead)."""

import gc

from govstat.platform.root.app import create_app


async def test_the_app_start_up_freezes_what_it_built():
    app = create_app()
    gc.unfreeze()
    try:
        for hook in app.on_startup:  # the pool is the session's already: only the rest of start-up runs
            await hook()
        assert gc.get_freeze_count() > 50_000
        full = [o for o in gc.get_objects(generation=2) if o is app]
        assert not full  # the app itself is frozen: a full collection does not walk it
    finally:
        gc.unfreeze()  # the rest of the test session collects as before
