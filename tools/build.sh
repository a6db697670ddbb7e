#!/usr/bin/env bash
# Install the toolkit and build the whole edition: validate, then the static site and the PDF (into _site/).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e .
edition validate
edition build
