# genai-landing-zone: every operation is one target. `make help` lists them.
#
#   make demo            the whole job on the local AWS emulator (no AWS account needed)
#   make test            all tests (pytest, fmt, validate, terraform test, end-to-end)
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
ENV    ?= dev
TARGET ?= auto
FORCE  ?=
# checkov's AWS checks run beside the lens rules in `make check` and `make demo`;
# CHECKOV= (empty) leaves them out.
CHECKOV ?= 1
# `make check SCOPE=stack` checks the plan as one stack of an account (account-level rules
# not_applicable); empty: params scope (account for the landing zone's own roots).
SCOPE ?=

# The organization root has one env (the management account); the workload has dev, prod, ...
PLAN_ENV := $(if $(filter organization,$(ROOT)),management,$(ENV))
ENV_ARG  := $(if $(filter workload,$(ROOT)),--env $(ENV),)
TF_ARGS  := --root $(ROOT) $(ENV_ARG) --target $(TARGET)

# Terraform reads providers from the mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins when
# it exists) through our own CLI config; nothing is written to $HOME.
export TF_CLI_CONFIG_FILE := $(CURDIR)/build/terraform.rc
export TF_IN_AUTOMATION := 1
export CHECKPOINT_DISABLE := 1

MODULES := $(patsubst %/,%,$(sort $(dir $(wildcard modules/*/versions.tf))))
ROOTS   := terraform/bootstrap terraform/organization terraform/workload
TF_CHECK_DATA = $(CURDIR)/build/tf-data/check/$(subst /,-,$(1))

.PHONY: help setup init plan apply destroy output bootstrap check fmt fmt-check validate tf-test \
        pytest lz-plans test demo emulator-up emulator-down clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

setup: $(VENV)/.installed ## create .venv, install the package + pinned deps, check terraform >= 1.9, write build/terraform.rc
	@command -v terraform >/dev/null || { echo "terraform is not on PATH: install Terraform >= 1.9" >&2; exit 2; }
	@$(LZ) tf setup

init: setup ## terraform init ROOT (default workload) ENV with TARGET's backend
	$(LZ) tf init $(TF_ARGS)

plan: setup ## saved plan build/<root>-<env>.tfplan + build/<root>-<env>.plan.json
	$(LZ) tf plan $(TF_ARGS)

apply: setup ## apply exactly the saved plan of `make plan` (refuses when it is missing)
	$(LZ) tf apply $(TF_ARGS)

destroy: setup ## destroy ROOT/ENV on TARGET (TARGET=aws asks; FORCE=1 does not)
	$(LZ) tf destroy $(TF_ARGS) $(if $(FORCE),--yes,)

output: setup ## the root's outputs as JSON
	$(LZ) tf output $(TF_ARGS)

bootstrap: setup ## create the state bucket on TARGET (local|aws) and write terraform/backends/<target>/*.hcl
	$(LZ) tf bootstrap --root bootstrap --target $(if $(filter auto,$(TARGET)),local,$(TARGET))

check: setup ## genai-lz check on the plan JSON of ROOT/ENV -> reports/<root>-<env>/
	@test -f build/$(ROOT)-$(PLAN_ENV).plan.json || { echo "no build/$(ROOT)-$(PLAN_ENV).plan.json: run make plan first" >&2; exit 2; }
	$(LZ) check build/$(ROOT)-$(PLAN_ENV).plan.json --format json --format markdown --format html \
		--format sarif --format junit --output reports/$(ROOT)-$(PLAN_ENV) $(if $(CHECKOV),--checkov,) \
		$(if $(SCOPE),--scope $(SCOPE),)

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

pytest: setup lz-plans ## pytest over tests/ (includes the end-to-end plan-and-check against the emulator)
	$(BIN)/python -m pytest -q tests

test: setup fmt-check validate tf-test pytest ## everything CI runs: pytest + fmt + validate + terraform test + e2e

demo: setup ## the whole job on the local emulator: plan, check, report, apply, destroy (TARGET=local)
	@if [ "$(TARGET)" = "aws" ]; then echo "make demo applies and destroys everything: it runs on the local emulator only (use make plan/check/apply TARGET=aws)" >&2; exit 2; fi
	$(LZ) demo $(if $(CHECKOV),--checkov,)

emulator-up: setup ## start (or reuse) the local AWS emulator and seed it
	$(LZ) emulator up

emulator-down: setup ## stop the local AWS emulator
	$(LZ) emulator down

clean: ## remove generated plans, logs, Terraform data dirs and reports (stops the emulator first)
	-@test -x $(LZ) && $(LZ) emulator down
	rm -rf build/tf-data build/logs build/offline-* build/offline-state build/emulator build/errored reports
	rm -f build/*.tfplan build/*.plan.json

.PHONY: bench
bench: setup ## genai-lz vs checkov on plans of 100-50,000 resources -> tests/benchmarks/RESULTS.md (BENCH_ARGS=--no-checkov skips checkov: it takes minutes)
	@test -f build/workload-dev.plan.json || $(MAKE) --no-print-directory plan ROOT=workload ENV=dev TARGET=offline
	$(BIN)/python -m tests.benchmarks.run $(BENCH_ARGS)

.PHONY: drift unlock
drift: setup ## refresh-only plan of ROOT/ENV on TARGET: reports/<root>-<env>/drift.{json,md} + check of the refreshed values (exit 0 none, 1 drift, 2 error)
	$(LZ) drift $(TF_ARGS)

unlock: setup ## release the state lock LOCK_ID of ROOT/ENV left by a dead operation (terraform force-unlock; asks unless FORCE=1)
	@test -n "$(LOCK_ID)" || { echo "make unlock needs LOCK_ID=<id>: the lock ID the failed plan/apply printed (the state is locked by ... (lock ID <id>, ...))" >&2; exit 2; }
	$(LZ) unlock $(TF_ARGS) --lock-id '$(LOCK_ID)' $(if $(FORCE),--yes,)
