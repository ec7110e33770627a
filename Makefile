# makemore exercises: every command sets itself up first (a virtual environment in
# .venv with requirements.txt installed), so each works on a fresh clone.
#
#   make lab               set up, copy the exercises into work/ (never overwritten), open JupyterLab
#   make work              just the copying: new exercises into work/, updates offered beside your copies
#   make test              set up, then run every test (unit tests, generation check,
#                          every notebook at 1% training length)
#   make setup             on Linux without an NVIDIA GPU, PyTorch's CPU-only build (about 200 MB instead of
#                          several GB of CUDA libraries); TORCH=pypi takes PyPI's (CUDA) build anyway
#   make exercises         regenerate notebooks/ from solutions/ (hand edits are saved to work/saved/ first)
#   make check-exercises   fail if an exercise differs from what its solution generates
#   make diff NB=makemore3_batchnorm   what a student must write: exercise vs solution (nbdime)
#   make diff-web NB=...   the same diff in the browser
#   make diff-work NB=...  your copy work/NB.ipynb against the course's current exercise
#   make reproduce         rerun every solution at full settings and check every reference number
#   make reproduce ONLY=makemore3   rerun just that solution, then check every number
#   make benchmark         print the speed figures (see tools/benchmark.py)
#   make dist              the helpers' wheel and sdist in dist/ (what the release workflow publishes)
#   make site              the course as a static site in _site/html/ (Jupyter Book, offline, no kernel)
#   make test-site         build the site and test it (every page, image and link; one page in Chromium)
#
# Windows has no make: README.md ("Without make") lists the same commands, and a test
# keeps the two in step.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NB ?= makemore3_batchnorm
# TORCH=cpu installs torch from PyTorch's CPU wheel index first (on Linux PyPI serves the CUDA build, several GB).
# It is the default on Linux where no NVIDIA GPU driver answers (no nvidia-smi); TORCH=pypi overrides it.
NVIDIA := $(shell command -v nvidia-smi 2>/dev/null)
TORCH ?= $(if $(and $(filter Linux,$(shell uname -s)),$(if $(NVIDIA),,no-gpu)),cpu,pypi)
TORCH_CPU_INDEX := https://download.pytorch.org/whl/cpu

.PHONY: setup lab work test exercises check-exercises diff diff-web diff-work reproduce benchmark dist site site-setup test-site clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml src/makemore_helpers/__init__.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(if $(filter cpu,$(TORCH)),$(BIN)/pip install torch==2.13.0 --index-url $(TORCH_CPU_INDEX))
	$(BIN)/pip install -r requirements.txt
	@touch $(STAMP)

work: setup
	$(BIN)/python -m tools.workcopy

# --allow-root only where you are root (a container), which JupyterLab otherwise refuses
lab: work
	$(BIN)/jupyter lab --LabApp.default_url=/lab/tree/work $(if $(filter 0,$(shell id -u)),--allow-root)

test: setup
	$(BIN)/python -m pytest

exercises: setup
	$(BIN)/python -m tools.make_exercises

check-exercises: setup
	$(BIN)/python -m tools.make_exercises --check

diff: setup
	$(BIN)/nbdiff --ignore-outputs --ignore-metadata --ignore-id --ignore-details notebooks/$(NB).ipynb solutions/$(NB).ipynb

diff-web: setup
	$(BIN)/nbdiff-web --ignore-outputs --ignore-metadata --ignore-id --ignore-details notebooks/$(NB).ipynb solutions/$(NB).ipynb

diff-work: setup
	$(BIN)/nbdiff --ignore-outputs --ignore-metadata --ignore-id --ignore-details work/$(NB).ipynb notebooks/$(NB).ipynb

reproduce: setup
	$(BIN)/python -m tools.reproduce $(if $(ONLY),--only $(ONLY))

benchmark: setup
	$(BIN)/python -m tools.benchmark --readme

dist: setup
	$(BIN)/python -m build --outdir dist .

SITE_STAMP := $(VENV)/.site-installed

$(SITE_STAMP): requirements-site.txt $(STAMP)
	$(BIN)/pip install -r requirements-site.txt
	@touch $(SITE_STAMP)

site-setup: $(SITE_STAMP)

site: site-setup
	$(BIN)/python -m tools.site

test-site: site-setup
	$(BIN)/python -m pytest -m site -n 0 tests/test_site.py

clean:
	rm -rf $(VENV) results dist _site
