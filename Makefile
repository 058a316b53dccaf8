# genai-landing-zone: every operation is one target. `make help` lists them.
#
#   make demo            the whole job on the local AWS emulator (no AWS account needed)
#   make test            all tests (pytest, fmt, validate, terraform test, end-to-end)
#   make fuzz            the property-based suite of the gate with thousands of examples
#   make plan ENV=dev    saved plan + plan JSON; make apply ENV=dev applies exactly that plan
#
# TARGET=auto (default) | aws | local | offline
#   aws      the usual AWS credential chain       local    the emulator (make emulator-up)
#   offline  fake credentials, no network: plans only (for checks)
#   auto     aws when credentials are configured, else local when the emulator runs, else offline

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LZ     := $(BIN)/genai-lz

ROOT   ?= workload
ENV    ?=
TARGET ?= auto
FORCE  ?=
# checkov's AWS checks run beside the lens rules in `make check` and `make demo`;
# CHECKOV= (empty) leaves them out.
CHECKOV ?= 1
# `make check SCOPE=stack` checks the plan as one stack of an account (account-level rules
# not_applicable); empty: params scope (account for the landing zone's own roots).
SCOPE ?=

# ENV empty = the root's own default (workload: dev; the organization has one env, management).
# genai-lz decides every path from --root/--env/--target (`genai-lz tf path NAME ...` prints one).
TF_ARGS  := --root $(ROOT) $(if $(ENV),--env $(ENV),) --target $(TARGET)

# Terraform reads providers from the mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins when
# it exists) through our own CLI config; nothing is written to $HOME.
export TF_CLI_CONFIG_FILE := $(CURDIR)/build/terraform.rc
export TF_IN_AUTOMATION := 1
export CHECKPOINT_DISABLE := 1

MODULES := $(patsubst %/,%,$(sort $(dir $(wildcard modules/*/versions.tf modules/_shared/*/versions.tf))))
ROOTS   := terraform/bootstrap terraform/organization terraform/log-archive terraform/audit terraform/workload
TF_CHECK_DATA = $(CURDIR)/build/tf-data/check/$(subst /,-,$(1))

.PHONY: help setup init plan apply destroy output bootstrap check fmt fmt-check validate tf-test \
        pytest lz-plans lint test demo emulator-up emulator-down clean new-account mutate

WORKLOAD_ENVS := $(sort $(basename $(notdir $(wildcard terraform/workload/envs/*.tfvars))))

help: ## list the targets and the variables
	@echo "Targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'
	@echo ""
	@echo "Variables (make plan ENV=prod TARGET=offline, ...):"
	@echo "  ROOT     root under terraform/: workload (default), organization, log-archive, audit"
	@echo "  ENV      workload env: $(WORKLOAD_ENVS) (default dev); the other roots have one env: leave it out"
	@echo "  TARGET   auto (default: aws with credentials, else local when the emulator runs, else offline),"
	@echo "           aws, local (the emulator: make emulator-up, make bootstrap), offline (plans for checks only)"
	@echo "  CHECKOV  1 (default) runs checkov's AWS checks beside the lens rules in make check/demo; CHECKOV= leaves them out"
	@echo "  FORCE    FORCE=1: destroy/unlock on TARGET=aws without asking"
	@echo "  SCOPE    make check SCOPE=stack: the plan is one stack of an account (default: params scope)"
	@echo "  LOCK_ID  make unlock: the lock ID a failed plan/apply printed"
	@echo "  LOCAL_TIMEOUT  seconds one Terraform command may take on TARGET=local (default 300)"

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# compileall: the engine and the rule pack are imported from this tree (editable install);
# their bytecode is written once here, so a run does not compile ~110 modules again when
# PYTHONDONTWRITEBYTECODE is set (a stale .pyc is never used: Python checks the source).
setup: $(VENV)/.installed ## create .venv, install the package + pinned deps, check terraform >= 1.9, write build/terraform.rc
	@command -v terraform >/dev/null || { echo "terraform is not on PATH: install Terraform >= 1.9" >&2; exit 2; }
	@$(BIN)/python -m compileall -q -j 0 checks policies >/dev/null
	@$(LZ) tf setup

init: setup ## terraform init ROOT (default workload) ENV with TARGET's backend
	$(LZ) tf init $(TF_ARGS)

plan: setup ## saved plan build/<root>-<env>.tfplan + .plan.json + .plan.txt (to review); prints add/change/destroy
	$(LZ) tf plan $(TF_ARGS)

apply: setup ## apply exactly the saved plan of `make plan` (refuses when it is missing)
	$(LZ) tf apply $(TF_ARGS)

destroy: setup ## destroy ROOT/ENV on TARGET (TARGET=aws asks; FORCE=1 does not)
	$(LZ) tf destroy $(TF_ARGS) $(if $(FORCE),--yes,)

output: setup ## the root's outputs as JSON
	$(LZ) tf output $(TF_ARGS)

bootstrap: setup ## create the state bucket on TARGET (local|aws) and write terraform/backends/<target>/*.hcl
	$(LZ) tf bootstrap --target $(if $(filter auto,$(TARGET)),local,$(TARGET))

check: setup ## genai-lz check on the plan JSON of ROOT/ENV -> reports/<root>-<env>/ (all five formats)
	$(LZ) tf check $(TF_ARGS) $(if $(CHECKOV),--checkov,) $(if $(SCOPE),--scope $(SCOPE),)

# python-hcl2 in a folder of its own: checkov's bc-python-hcl2 is also the package `hcl2`
DOCS_DEPS := build/docs-deps/.installed
$(DOCS_DEPS):
	$(BIN)/python -m pip install --quiet --target build/docs-deps python-hcl2==8.1.4
	@touch $@

docs-deps: setup $(DOCS_DEPS) ## install python-hcl2 for tools/module_docs.py into build/docs-deps

docs: docs-deps ## regenerate the Inputs/Outputs tables of every module README from variables.tf / outputs.tf
	$(VENV)/bin/python tools/module_docs.py

fmt: ## terraform fmt every module and root
	terraform fmt -recursive terraform
	terraform fmt -recursive modules

fmt-check: setup ## terraform fmt -check (fails on unformatted files)
	terraform fmt -check -recursive -diff terraform
	terraform fmt -check -recursive -diff modules

validate: setup ## terraform validate every module and root (no backend, no AWS)
	@for d in $(MODULES) $(ROOTS); do \
		data=$(CURDIR)/build/tf-data/check/$${d//\//-}; \
		TF_DATA_DIR=$$data terraform -chdir=$$d init -backend=false -input=false -no-color >/dev/null \
			|| { echo "terraform init failed in $$d" >&2; TF_DATA_DIR=$$data terraform -chdir=$$d init -backend=false -input=false -no-color >&2; exit 1; }; \
		TF_DATA_DIR=$$data terraform -chdir=$$d validate -no-color >/dev/null \
			|| { TF_DATA_DIR=$$data terraform -chdir=$$d validate -no-color >&2; exit 1; }; \
		echo "validate ok: $$d"; \
	done

tf-test: setup ## terraform test in every module (mock provider, offline)
	@mkdir -p build/logs
	@for d in $(MODULES); do \
		data=$(CURDIR)/build/tf-data/check/$${d//\//-}; \
		TF_DATA_DIR=$$data terraform -chdir=$$d init -backend=false -input=false -no-color >/dev/null; \
		AWS_ACCESS_KEY_ID=offline AWS_SECRET_ACCESS_KEY=offline AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
			TF_DATA_DIR=$$data terraform -chdir=$$d test -no-color > build/logs/tf-test-$${d//\//-}.log 2>&1 \
			|| { cat build/logs/tf-test-$${d//\//-}.log >&2; echo "terraform test failed in $$d" >&2; exit 1; }; \
		echo "terraform test ok: $$d ($$(grep -Eo '[0-9]+ passed' build/logs/tf-test-$${d//\//-}.log | tail -1))"; \
	done

lz-plans: setup ## offline plans of the landing zone's own roots (the tests check and render them)
	$(LZ) tf plan --root workload --env dev --target offline
	$(LZ) tf plan --root workload --env prod --target offline
	$(LZ) tf plan --root organization --target offline
	$(LZ) tf plan --root log-archive --target offline
	$(LZ) tf plan --root audit --target offline

pytest: setup lz-plans docs-deps ## pytest over tests/ (includes the end-to-end plan-and-check against the emulator)
	$(BIN)/python -m pytest -q tests

lint: setup ## ruff check and mypy on checks/ (settings in pyproject.toml; `ruff format` is configured there too)
	$(BIN)/ruff check checks
	$(BIN)/mypy

test: setup lint fmt-check validate tf-test pytest ## everything CI runs: lint + pytest + fmt + validate + terraform test + e2e

# The emulator (moto[server]) is the `emulator` extra: make demo and emulator-up install it.
$(VENV)/.emulator: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[emulator]'
	@touch $@

demo: setup $(VENV)/.emulator ## the whole job on the local emulator: plan, check, report, apply, destroy (TARGET=local)
	@if [ "$(TARGET)" = "aws" ]; then echo "make demo applies and destroys everything: it runs on the local emulator only (use make plan/check/apply TARGET=aws)" >&2; exit 2; fi
	$(LZ) demo $(if $(CHECKOV),--checkov,)
	@$(MAKE) --no-print-directory audit TARGET=offline

emulator-up: setup $(VENV)/.emulator ## start (or reuse) the local AWS emulator and seed it
	$(LZ) emulator up

emulator-down: setup ## stop the local AWS emulator
	$(LZ) emulator down

clean: ## remove generated plans, logs, Terraform data dirs and reports (stops the emulator and forgets its bootstrap state)
	-@test -x $(LZ) && $(LZ) emulator down
	rm -rf build/tf-data build/logs build/offline-* build/offline-state build/emulator build/errored reports
	rm -rf build/bootstrap/local
	rm -f build/*.tfplan build/*.plan.json build/*.plan.txt

.PHONY: fuzz
fuzz: setup ## the property-based suite of the gate with thousands of examples (FUZZ_EXAMPLES=2000); `make test` runs it bounded
	GENAI_LZ_HYPOTHESIS_PROFILE=fuzz GENAI_LZ_PROPERTY_EXAMPLES=$(or $(FUZZ_EXAMPLES),2000) \
		$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_property_gate.py --hypothesis-show-statistics

.PHONY: bench
mutate: setup ## mutation testing (cosmic-ray) of a sample of the engine and rules -> tests/MUTATION.md; cached, not part of make test (MUTATE_ARGS=--only PATH, --tests-from REV)
	$(BIN)/python tests/mutation/run.py $(MUTATE_ARGS)

bench: setup ## genai-lz vs checkov on plans of 100-50,000 resources -> tests/benchmarks/RESULTS.md (BENCH_ARGS=--no-checkov skips checkov: it takes minutes)
	@test -f "$$($(LZ) tf path plan-json --root workload --env dev)" || $(MAKE) --no-print-directory plan ROOT=workload ENV=dev TARGET=offline
	$(BIN)/python -m tests.benchmarks.run $(BENCH_ARGS)

# Every root/env the organization is audited over: <root> or <root>:<env>.
AUDIT_WORKSPACES := organization log-archive audit \
	$(addprefix workload:,$(basename $(notdir $(wildcard terraform/workload/envs/*.tfvars))))

.PHONY: audit
audit: setup ## check every root/env (plans the ones without a plan JSON on TARGET) and aggregate -> reports/organization/
	@reports=(); for ws in $(AUDIT_WORKSPACES); do \
		root=$${ws%%:*}; env=$$( [ "$$ws" = "$$root" ] || echo "--env $${ws#*:}" ); \
		test -f "$$($(LZ) tf path plan-json --root $$root $$env)" || $(LZ) tf plan --root $$root $$env --target $(TARGET); \
		$(LZ) tf check --root $$root $$env --target $(TARGET) $(if $(CHECKOV),--checkov,) || [ $$? -eq 1 ]; \
		reports+=("$$($(LZ) tf path reports --root $$root $$env)/report.json"); \
	done; \
	previous=(); if [ -f reports/organization/posture.json ]; then \
		cp reports/organization/posture.json reports/organization/previous.json; previous=(--previous reports/organization/previous.json); fi; \
	$(LZ) aggregate "$${reports[@]}" -o reports/organization "$${previous[@]}" || [ $$? -eq 1 ]

.PHONY: drift unlock
drift: setup ## refresh-only plan of ROOT/ENV on TARGET: reports/<root>-<env>/drift.{json,md} + check of the refreshed values (exit 0 none, 1 drift, 2 error)
	$(LZ) drift $(TF_ARGS)

unlock: setup ## release the state lock LOCK_ID of ROOT/ENV left by a dead operation (terraform force-unlock; asks unless FORCE=1)
	@test -n "$(LOCK_ID)" || { echo "make unlock needs LOCK_ID=<id>: the lock ID the failed plan/apply printed (the state is locked by ... (lock ID <id>, ...))" >&2; exit 2; }
	$(LZ) unlock $(TF_ARGS) --lock-id '$(LOCK_ID)' $(if $(FORCE),--yes,)

new-account: setup ## account vending: NAME=<key> EMAIL=<root e-mail> OU=<dev|prod|workloads|sandbox|...> writes terraform/organization/accounts/<name>.json and terraform/workload/envs/<name>.tfvars
	$(LZ) account new --name '$(NAME)' --email '$(EMAIL)' --ou '$(OU)' $(if $(ACCOUNT_ID),--account-id '$(ACCOUNT_ID)',)
