# makemore exercises: every command sets itself up first (a virtual environment in
# .venv with requirements.txt installed), so each works on a fresh clone.
#
#   make lab               set up, then open the series in JupyterLab
#   make test              set up, then run every test (unit tests, generation check,
#                          every notebook at 1% training length)
#   make exercises         regenerate notebooks/ from solutions/
#   make check-exercises   fail if an exercise differs from what its solution generates
#   make diff NB=makemore3_batchnorm   what a student must write: exercise vs solution (nbdime)
#   make diff-web NB=...   the same diff in the browser
#   make reproduce         rerun every solution at full settings and check every reference number
#   make reproduce ONLY=makemore3   rerun just that solution, then check every number
#   make benchmark         print the speed figures (see tools/benchmark.py)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NB ?= makemore3_batchnorm

.PHONY: setup lab test exercises check-exercises diff diff-web reproduce benchmark clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -r requirements.txt
	@touch $(STAMP)

# --allow-root only where you are root (a container), which JupyterLab otherwise refuses
lab: setup
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root)

test: setup
	$(BIN)/python -m pytest

exercises: setup
	$(BIN)/python tools/make_exercises.py

check-exercises: setup
	$(BIN)/python tools/make_exercises.py --check

diff: setup
	$(BIN)/nbdiff --ignore-outputs --ignore-metadata --ignore-id --ignore-details notebooks/$(NB).ipynb solutions/$(NB).ipynb

diff-web: setup
	$(BIN)/nbdiff-web --ignore-outputs --ignore-metadata --ignore-id --ignore-details notebooks/$(NB).ipynb solutions/$(NB).ipynb

reproduce: setup
	$(BIN)/python tools/reproduce.py $(if $(ONLY),--only $(ONLY))

benchmark: setup
	$(BIN)/python tools/benchmark.py --readme

clean:
	rm -rf $(VENV) results
