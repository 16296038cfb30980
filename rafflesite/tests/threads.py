"""Run calls at the same moment, each on its own database connection."""

import threading

from django.db import connection


def run_together(*calls):
    """Call each function in its own thread, released together by a barrier.

    Returns each call's result, or the exception it raised, in order. Each
    thread opens its own connection before the barrier and closes it at the
    end, so the calls really overlap in the database.
    """
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:  # handed back to the caller
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
