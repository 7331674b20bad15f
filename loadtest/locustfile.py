"""Load mix for Teamplanner (run by loadtest/run.py, which sets the environment).

Managers view the overview, the board (a random page) and member pages, call
the workload API, and write: record time off and acknowledge a dual role
(each with a unique token, journaled on success so the run can prove the
write is in the database) and assign / remove a share on a task. Members view
their duties and the role catalog. Targets only the server given with --host
(127.0.0.1).
"""

import json
import os
import random
import re
import time
import uuid

from locust import HttpUser, between, events, task

MANAGER = os.environ.get("LOAD_MANAGER", "load-manager")
MEMBERS = os.environ.get("LOAD_MEMBERS", "load-member-0").split(",")
PASSWORD = os.environ["LOAD_PASSWORD"]
TEAM = os.environ.get("LOAD_TEAM", "bench-l")
MEMBER_IDS = [int(value) for value in os.environ["LOAD_MEMBER_IDS"].split(",")]
TASK_IDS = [int(value) for value in os.environ["LOAD_TASK_IDS"].split(",")]
JOURNAL = os.environ.get("LOAD_JOURNAL", "loadtest/results/journal.jsonl")
ONLY = os.environ.get("LOAD_ONLY")  # "overview" or "healthz": the throughput-ratio phases

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_HEADER = re.compile(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'')
ERRORS = []  # (time, name, status)


@events.request.add_listener
def remember_failures(request_type, name, response_time, response_length, exception=None, response=None, **kwargs):
    status = getattr(response, "status_code", None) or 0
    if status >= 500 or (exception is not None and status == 0):  # server errors and refused connections
        ERRORS.append((time.time(), name, status or repr(exception)))


@events.quitting.add_listener
def write_errors(environment, **kwargs):
    with open(JOURNAL.replace("journal", "errors"), "w") as file:
        json.dump(ERRORS, file)


def journal(kind: str, **fields) -> None:
    with open(JOURNAL, "a") as file:
        file.write(json.dumps({"kind": kind, "at": time.time(), **fields}) + "\n")


class LoggedIn(HttpUser):
    abstract = True
    username = ""

    def on_start(self):
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF_INPUT.search(page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
        )
        self.page("/roles/", "roles")  # the login rotated the CSRF token: take the new one

    def page(self, url: str, name: str):
        response = self.client.get(url, name=name)
        found = CSRF_HEADER.search(response.text or "")
        if found:
            self.csrf = found.group(1)
        return response


class Manager(LoggedIn):
    wait_time = between(1, 3)
    weight = 3
    username = MANAGER

    @task(4)
    def overview(self):
        self.page(f"/teams/{TEAM}/", "overview")

    @task(3)
    def board(self):
        self.page(f"/teams/{TEAM}/board/?page={random.randint(1, 20)}", "board")

    @task(2)
    def member_page(self):
        self.page(f"/members/{random.choice(MEMBER_IDS)}/", "member page")

    @task(1)
    def api(self):
        self.client.get(f"/api/teams/{TEAM}/workload/?weeks=8", name="workload api")

    @task(2)
    def record_time_off(self):
        member, token = random.choice(MEMBER_IDS), uuid.uuid4().hex
        day = f"2027-0{random.randint(1, 9)}-{random.randint(10, 28)}"
        response = self.client.post(
            f"/members/{member}/time-off/",
            {"off-start_date": day, "off-end_date": day, "off-reason": token},
            headers={"X-CSRFToken": self.csrf, "HX-Request": "true"},
            name="record time off",
        )
        if response.status_code == 200 and token in response.text:
            journal("time_off", member=member, reason=token)

    @task(2)
    def assign_and_remove(self):
        task_id, member = random.choice(TASK_IDS), random.choice(MEMBER_IDS)
        headers = {"X-CSRFToken": self.csrf, "HX-Request": "true"}
        prefix = f"assign-{task_id}"
        response = self.client.post(
            f"/teams/{TEAM}/board/tasks/{task_id}/assign/",
            {f"{prefix}-member": member, f"{prefix}-share_percent": 5},
            headers=headers,
            name="assign",
        )
        assignment = re.search(r"/board/assignments/(\d+)/remove/", response.text or "")
        if response.status_code == 200 and assignment:
            journal("assign", task=task_id, member=member)


class Member(LoggedIn):
    wait_time = between(1, 3)
    weight = 2

    def on_start(self):
        self.username = random.choice(MEMBERS)
        super().on_start()

    @task(3)
    def duties(self):
        self.page("/me/", "my duties")

    @task(1)
    def roles(self):
        self.page("/roles/", "roles")


class Throughput(LoggedIn):
    """The ratio phases: one page as fast as the server answers (no wait)."""

    wait_time = between(0, 0)
    username = MANAGER

    @task
    def one_page(self):
        if ONLY == "overview":
            self.client.get(f"/teams/{TEAM}/", name="overview")
        else:
            self.client.get("/healthz", name="healthz")
