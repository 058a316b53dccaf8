"""The built-in rule pack as package data: installed as ``checks._builtin``.

pyproject.toml maps this folder onto the package ``checks._builtin`` so that a wheel
carries the rules and their data and ``checks.resources.builtin_policies()`` finds them
through importlib.resources. Nothing here is imported as code: rules are loaded by path
(``checks.registry``), one ``<pillar>/<RULE_ID>_<slug>/rule.py`` at a time.
"""
