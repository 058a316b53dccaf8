"""Bedrock agents end idle sessions after a bounded time."""
from checks import Result, UNKNOWN, rule

PATH = "idle_session_ttl_in_seconds"
MAX_TTL_SECONDS = 1800  # the API accepts 60..3600; half an hour bounds an interactive session


@rule(
    id="LZ-REL-007",
    title=f"Bedrock agents set idle_session_ttl_in_seconds to at most {MAX_TTL_SECONDS} seconds",
    pillar="reliability",
    lens=["GENREL03-BP02"],
    severity="medium",
    resource_types=("aws_bedrockagent_agent",),
    remediation=(
        f"Set idle_session_ttl_in_seconds on every aws_bedrockagent_agent, at most {MAX_TTL_SECONDS} (e.g. 600 for "
        "interactive assistants), so an abandoned conversation and its session state expire."
    ),
    rationale=(
        "Lens GENREL03-BP02 (implement timeout mechanisms on agentic workflows): an agent session keeps its "
        "conversation and intermediate state until the idle TTL expires; a long or invisible TTL keeps abandoned "
        "sessions (and the data in them) alive and lets a stuck multi-step workflow linger. When the argument is "
        "not set the service default applies, which the plan does not show (the value is known only after apply): "
        "the rule asks for an explicit, bounded value."
    ),
)
def check(agent, plan, params):
    value = agent.get(PATH)
    if value is UNKNOWN:
        if agent.is_configured(PATH):
            return Result.unknown(f"{PATH} is known only after apply", path=PATH)
        return Result.failed(f"{PATH} is not set: the session timeout is the service default, not visible in the plan",
                             path=PATH)
    if not isinstance(value, (int, float)):
        return Result.failed(f"{PATH} is not set", path=PATH)
    if value > MAX_TTL_SECONDS:
        return Result.failed(f"idle sessions live {int(value)} s, more than {MAX_TTL_SECONDS} s", path=PATH)
    return Result.passed(f"idle sessions end after {int(value)} s", path=PATH)
