"""Application inference profiles keep inference in the approved geography (no global routing)."""
import re

from checks import Result, UNKNOWN, rule

SOURCE = "model_source.0.copy_from"
ARN = re.compile(r"^arn:aws[a-z-]*:bedrock:(?P<region>[a-z0-9-]*):[0-9]*:(?P<kind>[a-z-]+)/(?P<id>.+)$")
# the prefix of a system-defined cross-Region profile id -> the Region prefixes it routes to
GEOGRAPHIES = {"us": ("us-east-", "us-west-"), "us-gov": ("us-gov-",), "eu": ("eu-",), "apac": ("ap-",), "ca": ("ca-",),
               "jp": ("ap-northeast-1", "ap-northeast-3"), "au": ("ap-southeast-2", "ap-southeast-4")}


@rule(
    id="LZ-SEC-034",
    title="Bedrock application inference profiles keep inference in approved Regions (no global cross-Region routing)",
    pillar="security",
    lens=["GENSEC01-BP01"],
    severity="high",
    resource_types=("aws_bedrock_inference_profile",),
    remediation=(
        "Copy model_source.copy_from from a foundation model ARN in an approved Region, or from a geographic "
        "system-defined profile whose geography holds only approved Regions (us., eu., apac. per params "
        "approved_regions), never from a global. profile (unless params allow_global_inference_profiles: true, a "
        "decision the data owner records); or add the Regions to approved_regions when the data "
        "may leave the current ones."
    ),
    rationale=(
        "Lens GENSEC01-BP01 (grant least privilege access to foundation model endpoints): an application inference "
        "profile decides where requests are served. Copied from a global. cross-Region profile, prompts and "
        "completions may be processed in any commercial Region worldwide, beyond the data-residency boundary "
        "params approved_regions expresses (and beyond a Region-deny SCP, which the routing is exempt from). A "
        "geographic profile (us., eu., apac.) routes within its geography, which is acceptable only when the "
        "approved Regions include Regions of that geography (the routing is by geography, not by Region). A "
        "source known only after apply is unknown."
    ),
)
def check(profile, plan, params):
    source = profile.get(SOURCE)
    if source is UNKNOWN:
        return Result.unknown("model_source.copy_from is known only after apply", path=SOURCE)
    if not isinstance(source, str) or not (match := ARN.match(source)):
        return Result.failed("model_source.copy_from is not a Bedrock model or inference profile ARN", path=SOURCE)
    approved = set(params.get("approved_regions", ()))
    region, kind, ident = match["region"], match["kind"], match["id"]
    if approved and region and region not in approved:
        return Result.failed(f"the source is in {region}, not an approved Region", path=SOURCE)
    if kind == "foundation-model":
        return Result.passed(f"single-Region source in {region}", path=SOURCE)
    if kind != "inference-profile":
        return Result.unknown(f"copied from a {kind} ({ident}): where it routes is not visible to this rule",
                              path=SOURCE)
    prefix = ident.split(".", 1)[0]
    if prefix == "global":
        if params.get("allow_global_inference_profiles") is True:
            return Result.passed("global. cross-Region profile, allowed by params allow_global_inference_profiles",
                                 path=SOURCE)
        return Result.failed("copied from a global. cross-Region profile: requests may be served in any Region "
                             "worldwide", path=SOURCE)
    if prefix in GEOGRAPHIES:
        regions = [r for r in approved if r.startswith(GEOGRAPHIES[prefix])]
        if regions:
            return Result.passed(f"{prefix}. profile routes within a geography of approved Regions "
                                 f"({', '.join(sorted(regions))})", path=SOURCE)
        return Result.failed(f"{prefix}. profile routes to Regions outside approved_regions", path=SOURCE)
    return Result.unknown(f"system profile {ident}: its geography {prefix!r} is not known to this rule", path=SOURCE)
