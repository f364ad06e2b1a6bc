"""One page under load; `benchmarks.http` starts this once per page with BENCH_* variables."""

import json
import os

from locust import FastHttpUser, constant, task

METHOD = os.environ["BENCH_METHOD"]
PATH = os.environ["BENCH_PATH"]
EXPECT = int(os.environ["BENCH_EXPECT"])
COOKIES = json.loads(os.environ.get("BENCH_COOKIES", "{}"))
BODY = os.environ.get("BENCH_BODY", "")  # an urlencoded form, for POST


class PageUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        cookie = "; ".join(f"{name}={value}" for name, value in COOKIES.items())
        self.headers = {"Cookie": cookie} if cookie else {}
        if BODY:
            self.headers["Content-Type"] = "application/x-www-form-urlencoded"

    @task
    def page(self):
        with self.client.request(
            METHOD,
            PATH,
            headers=self.headers,
            data=BODY or None,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != EXPECT:
                response.failure(f"status {response.status_code}")
