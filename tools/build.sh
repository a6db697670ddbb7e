#!/usr/bin/env bash
# Install the toolkit and build the whole edition (validate, then the site and the PDF).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e .
edition validate
