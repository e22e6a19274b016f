"""What sqlfluff's jinja templater needs, besides its dbt builtins, to render this dbt project
without dbt (pyproject.toml ``[tool.sqlfluff.templater.jinja] library_path``): the ``dbt``
namespace of cross-database macros the models call. Lint only; dbt never imports this."""
