"""genai-lz: AWS Well-Architected Generative AI Lens checks on Terraform plans.

Rule authors import from here::

    from checks import rule, plan_rule, Result, UNKNOWN
"""
from checks.model import Result, plan_rule, rule
from checks.values import UNKNOWN

__all__ = ["rule", "plan_rule", "Result", "UNKNOWN"]
