"""The load profile's mix (bench/load_profile.py): the public reading the portal and searching,
e-Stat API callers with their appIds, agencies' systems with API keys, operators on dashboards.
Host, API key, census statsDataId and the operator's password come from the environment.

Each simulated user runs LOAD_USER_RATE iterations a second (constant_throughput), so a level's
offered load is users x rate and does not fall as answers slow down. Sign-in happens once per
simulated user (on_start), never per iteration: a person signs in and then works."""

import os
import uuid

from locust import HttpUser, constant_throughput, task

RATE = float(os.environ.get("LOAD_USER_RATE", "1"))

PASSWORD = "long-enough-pass"


class PublicReader(HttpUser):
    weight = 4
    wait_time = constant_throughput(RATE)

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="public: home")

    @task(2)
    def search(self) -> None:
        self.client.get("/estat/search", params={"q": "人口"}, name="public: search")


class ApiCaller(HttpUser):
    """A registered general user: registers, signs in, mints an appId, then calls the e-Stat API."""

    weight = 3
    wait_time = constant_throughput(RATE)

    def on_start(self) -> None:
        login = f"load{uuid.uuid4().hex[:10]}"
        self.client.post(
            "/api/account/register",
            json={"login": login, "display_name": "負荷", "email": f"{login}@example.com", "password": PASSWORD},
            name="api: register",
        )
        csrf = self.client.post("/auth/login", json={"login": login, "password": PASSWORD}, name="api: sign in")
        minted = self.client.post(
            "/api/account/app-ids",
            json={"name": "負荷試験"},
            headers={"x-csrf-token": csrf.json()["csrf"]},
            name="api: appId",
        )
        self.app_id = minted.json()["app_id"]
        self.client.cookies.clear()

    @task(3)
    def stats_data(self) -> None:
        params = {"appId": self.app_id, "statsDataId": os.environ["LOAD_STATS_DATA_ID"], "limit": "100"}
        self.client.get("/rest/3.0/app/json/getStatsData", params=params, name="api: getStatsData")

    @task(1)
    def stats_list(self) -> None:
        self.client.get("/rest/3.0/app/json/getStatsList", params={"appId": self.app_id}, name="api: getStatsList")


class AgencySystem(HttpUser):
    weight = 2
    wait_time = constant_throughput(RATE)

    @task(3)
    def codes(self) -> None:
        headers = {"x-api-key": os.environ["LOAD_API_KEY"]}
        self.client.get("/api/area/codes", params={"limit": 20}, headers=headers, name="agency: area codes")

    @task(1)
    def code(self) -> None:
        headers = {"x-api-key": os.environ["LOAD_API_KEY"]}
        self.client.get("/api/area/codes/13101", headers=headers, name="agency: area code")


class Operator(HttpUser):
    weight = 1
    wait_time = constant_throughput(RATE / 2)

    def on_start(self) -> None:
        self.client.post(
            "/auth/login",
            json={"login": "operator", "password": os.environ["LOAD_OPERATOR_PASSWORD"]},
            name="operator: sign in",
        )

    @task(2)
    def usage(self) -> None:
        self.client.get("/api/ops/usage", params={"minutes": 60}, name="operator: usage")

    @task(1)
    def sla(self) -> None:
        self.client.get("/api/sla/status", name="operator: SLA status")
