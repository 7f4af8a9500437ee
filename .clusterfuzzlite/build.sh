#!/bin/bash -eu
# Builds each script of fuzz/ into $OUT the standard way (compile_python_fuzzer bundles it with
# PyInstaller), with a seed corpus made from the golden vectors of its protocol.
pip3 install .
for fuzzer in fuzz/*.py; do
    name=$(basename "$fuzzer" .py)
    # The registry finds the codecs by listing wirecheck.codecs: bundle every submodule.
    compile_python_fuzzer "$fuzzer" --collect-submodules=wirecheck
    python3 -m wirecheck.fuzz.seeds "$name" "$OUT/${name}_seed_corpus.zip"
done
