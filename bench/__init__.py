"""Askel's benchmarks (`make bench`): each prints its figures and writes them to bench/results/."""
