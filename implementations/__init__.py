"""Implementations wirecheck can start and test: one package per implementation."""
