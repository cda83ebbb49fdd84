"""`medeval generate ...`: registered on the `cli` group of `medeval_ui.cli`, which imports it."""
