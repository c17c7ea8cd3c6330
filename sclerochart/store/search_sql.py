"""The patient search's statements as SQL text for SQLite, made from the store's by `make search-sql`.

Written by `repositories.patients.write_sqlite_texts`; do not edit. A test holds it equal to what
SQLAlchemy compiles from the store's statements now, so the quick listing and the store never differ.
"""

from typing import Any

TEXTS: dict[object, tuple[str, dict[str, Any]]] = {
    ('counts', 2): (
        'SELECT (SELECT count(*) AS count_1 \n'
        'FROM (SELECT patient_search_terms.term AS term \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low_0 AND patient_search_terms.term < :high_0\n'
        ' LIMIT :param_1 OFFSET :param_2) AS anon_2) AS anon_1, (SELECT count(*) AS count_2 \n'
        'FROM (SELECT patient_search_terms.term AS term \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low_1 AND patient_search_terms.term < :high_1\n'
        ' LIMIT :param_3 OFFSET :param_4) AS anon_4) AS anon_3'
        , {'param_1': 20000, 'param_2': 0, 'param_3': 20000, 'param_4': 0},
    ),
    ('counts', 3): (
        'SELECT (SELECT count(*) AS count_1 \n'
        'FROM (SELECT patient_search_terms.term AS term \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low_0 AND patient_search_terms.term < :high_0\n'
        ' LIMIT :param_1 OFFSET :param_2) AS anon_2) AS anon_1, (SELECT count(*) AS count_2 \n'
        'FROM (SELECT patient_search_terms.term AS term \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low_1 AND patient_search_terms.term < :high_1\n'
        ' LIMIT :param_3 OFFSET :param_4) AS anon_4) AS anon_3, (SELECT count(*) AS count_3 \n'
        'FROM (SELECT patient_search_terms.term AS term \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low_2 AND patient_search_terms.term < :high_2\n'
        ' LIMIT :param_5 OFFSET :param_6) AS anon_6) AS anon_5'
        , {'param_1': 20000, 'param_2': 0, 'param_3': 20000, 'param_4': 0, 'param_5': 20000, 'param_6': 0},
    ),
    ('hits', (), False): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients \n'
        'WHERE patients.id IN (SELECT window.patient_id \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND patient_search_terms.archived IS 0 ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window) AND patients.archived IS 0 ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_2'
        , {'param_1': 0, 'param_2': 0},
    ),
    ('window', (), False): (
        'SELECT count(*) AS count_1 \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND patient_search_terms.archived IS 0 ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window'
        , {'param_1': 0},
    ),
    ('hits', (True,), False): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients \n'
        'WHERE patients.id IN (SELECT window.patient_id \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND patient_search_terms.archived IS 0 AND (patient_search_terms.patient_id || :patient_id_1) IN (SELECT other_0.patient_id \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.term >= :low_0 AND other_0.term < :high_0) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window) AND patients.archived IS 0 ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_2'
        , {'patient_id_1': '', 'param_1': 0, 'param_2': 0},
    ),
    ('window', (True,), False): (
        'SELECT count(*) AS count_1 \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND patient_search_terms.archived IS 0 AND (patient_search_terms.patient_id || :patient_id_1) IN (SELECT other_0.patient_id \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.term >= :low_0 AND other_0.term < :high_0) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window'
        , {'patient_id_1': '', 'param_1': 0},
    ),
    ('hits', (False,), False): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients \n'
        'WHERE patients.id IN (SELECT window.patient_id \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND patient_search_terms.archived IS 0 AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.patient_id = patient_search_terms.patient_id AND other_0.term >= :low_0 AND other_0.term < :high_0)) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window) AND patients.archived IS 0 ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_2'
        , {'param_1': 0, 'param_2': 0},
    ),
    ('window', (False,), False): (
        'SELECT count(*) AS count_1 \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND patient_search_terms.archived IS 0 AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.patient_id = patient_search_terms.patient_id AND other_0.term >= :low_0 AND other_0.term < :high_0)) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window'
        , {'param_1': 0},
    ),
    ('hits', (True, True), False): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients \n'
        'WHERE patients.id IN (SELECT window.patient_id \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND patient_search_terms.archived IS 0 AND (patient_search_terms.patient_id || :patient_id_1) IN (SELECT other_0.patient_id \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.term >= :low_0 AND other_0.term < :high_0) AND (patient_search_terms.patient_id || :patient_id_2) IN (SELECT other_1.patient_id \n'
        'FROM patient_search_terms AS other_1 \n'
        'WHERE other_1.term >= :low_1 AND other_1.term < :high_1) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window) AND patients.archived IS 0 ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_2'
        , {'patient_id_1': '', 'patient_id_2': '', 'param_1': 0, 'param_2': 0},
    ),
    ('window', (True, True), False): (
        'SELECT count(*) AS count_1 \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND patient_search_terms.archived IS 0 AND (patient_search_terms.patient_id || :patient_id_1) IN (SELECT other_0.patient_id \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.term >= :low_0 AND other_0.term < :high_0) AND (patient_search_terms.patient_id || :patient_id_2) IN (SELECT other_1.patient_id \n'
        'FROM patient_search_terms AS other_1 \n'
        'WHERE other_1.term >= :low_1 AND other_1.term < :high_1) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window'
        , {'patient_id_1': '', 'patient_id_2': '', 'param_1': 0},
    ),
    ('hits', (True, False), False): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients \n'
        'WHERE patients.id IN (SELECT window.patient_id \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND patient_search_terms.archived IS 0 AND (patient_search_terms.patient_id || :patient_id_1) IN (SELECT other_0.patient_id \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.term >= :low_0 AND other_0.term < :high_0) AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_1 \n'
        'WHERE other_1.patient_id = patient_search_terms.patient_id AND other_1.term >= :low_1 AND other_1.term < :high_1)) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window) AND patients.archived IS 0 ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_2'
        , {'patient_id_1': '', 'param_1': 0, 'param_2': 0},
    ),
    ('window', (True, False), False): (
        'SELECT count(*) AS count_1 \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND patient_search_terms.archived IS 0 AND (patient_search_terms.patient_id || :patient_id_1) IN (SELECT other_0.patient_id \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.term >= :low_0 AND other_0.term < :high_0) AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_1 \n'
        'WHERE other_1.patient_id = patient_search_terms.patient_id AND other_1.term >= :low_1 AND other_1.term < :high_1)) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window'
        , {'patient_id_1': '', 'param_1': 0},
    ),
    ('hits', (False, False), False): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients \n'
        'WHERE patients.id IN (SELECT window.patient_id \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND patient_search_terms.archived IS 0 AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.patient_id = patient_search_terms.patient_id AND other_0.term >= :low_0 AND other_0.term < :high_0)) AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_1 \n'
        'WHERE other_1.patient_id = patient_search_terms.patient_id AND other_1.term >= :low_1 AND other_1.term < :high_1)) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window) AND patients.archived IS 0 ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_2'
        , {'param_1': 0, 'param_2': 0},
    ),
    ('window', (False, False), False): (
        'SELECT count(*) AS count_1 \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND patient_search_terms.archived IS 0 AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.patient_id = patient_search_terms.patient_id AND other_0.term >= :low_0 AND other_0.term < :high_0)) AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_1 \n'
        'WHERE other_1.patient_id = patient_search_terms.patient_id AND other_1.term >= :low_1 AND other_1.term < :high_1)) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window'
        , {'param_1': 0},
    ),
    ('born', False): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients \n'
        'WHERE patients.date_of_birth = :born AND patients.archived IS 0 ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_1'
        , {'param_1': 0},
    ),
    ('first', False): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients \n'
        'WHERE patients.archived IS 0 ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_1'
        , {'param_1': 0},
    ),
    ('hits', (), True): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients \n'
        'WHERE patients.id IN (SELECT window.patient_id \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window) ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_2'
        , {'param_1': 0, 'param_2': 0},
    ),
    ('window', (), True): (
        'SELECT count(*) AS count_1 \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window'
        , {'param_1': 0},
    ),
    ('hits', (True,), True): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients \n'
        'WHERE patients.id IN (SELECT window.patient_id \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND (patient_search_terms.patient_id || :patient_id_1) IN (SELECT other_0.patient_id \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.term >= :low_0 AND other_0.term < :high_0) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window) ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_2'
        , {'patient_id_1': '', 'param_1': 0, 'param_2': 0},
    ),
    ('window', (True,), True): (
        'SELECT count(*) AS count_1 \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND (patient_search_terms.patient_id || :patient_id_1) IN (SELECT other_0.patient_id \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.term >= :low_0 AND other_0.term < :high_0) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window'
        , {'patient_id_1': '', 'param_1': 0},
    ),
    ('hits', (False,), True): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients \n'
        'WHERE patients.id IN (SELECT window.patient_id \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.patient_id = patient_search_terms.patient_id AND other_0.term >= :low_0 AND other_0.term < :high_0)) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window) ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_2'
        , {'param_1': 0, 'param_2': 0},
    ),
    ('window', (False,), True): (
        'SELECT count(*) AS count_1 \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.patient_id = patient_search_terms.patient_id AND other_0.term >= :low_0 AND other_0.term < :high_0)) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window'
        , {'param_1': 0},
    ),
    ('hits', (True, True), True): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients \n'
        'WHERE patients.id IN (SELECT window.patient_id \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND (patient_search_terms.patient_id || :patient_id_1) IN (SELECT other_0.patient_id \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.term >= :low_0 AND other_0.term < :high_0) AND (patient_search_terms.patient_id || :patient_id_2) IN (SELECT other_1.patient_id \n'
        'FROM patient_search_terms AS other_1 \n'
        'WHERE other_1.term >= :low_1 AND other_1.term < :high_1) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window) ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_2'
        , {'patient_id_1': '', 'patient_id_2': '', 'param_1': 0, 'param_2': 0},
    ),
    ('window', (True, True), True): (
        'SELECT count(*) AS count_1 \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND (patient_search_terms.patient_id || :patient_id_1) IN (SELECT other_0.patient_id \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.term >= :low_0 AND other_0.term < :high_0) AND (patient_search_terms.patient_id || :patient_id_2) IN (SELECT other_1.patient_id \n'
        'FROM patient_search_terms AS other_1 \n'
        'WHERE other_1.term >= :low_1 AND other_1.term < :high_1) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window'
        , {'patient_id_1': '', 'patient_id_2': '', 'param_1': 0},
    ),
    ('hits', (True, False), True): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients \n'
        'WHERE patients.id IN (SELECT window.patient_id \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND (patient_search_terms.patient_id || :patient_id_1) IN (SELECT other_0.patient_id \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.term >= :low_0 AND other_0.term < :high_0) AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_1 \n'
        'WHERE other_1.patient_id = patient_search_terms.patient_id AND other_1.term >= :low_1 AND other_1.term < :high_1)) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window) ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_2'
        , {'patient_id_1': '', 'param_1': 0, 'param_2': 0},
    ),
    ('window', (True, False), True): (
        'SELECT count(*) AS count_1 \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND (patient_search_terms.patient_id || :patient_id_1) IN (SELECT other_0.patient_id \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.term >= :low_0 AND other_0.term < :high_0) AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_1 \n'
        'WHERE other_1.patient_id = patient_search_terms.patient_id AND other_1.term >= :low_1 AND other_1.term < :high_1)) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window'
        , {'patient_id_1': '', 'param_1': 0},
    ),
    ('hits', (False, False), True): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients \n'
        'WHERE patients.id IN (SELECT window.patient_id \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.patient_id = patient_search_terms.patient_id AND other_0.term >= :low_0 AND other_0.term < :high_0)) AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_1 \n'
        'WHERE other_1.patient_id = patient_search_terms.patient_id AND other_1.term >= :low_1 AND other_1.term < :high_1)) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window) ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_2'
        , {'param_1': 0, 'param_2': 0},
    ),
    ('window', (False, False), True): (
        'SELECT count(*) AS count_1 \n'
        'FROM (SELECT patient_search_terms.patient_id AS patient_id \n'
        'FROM patient_search_terms \n'
        'WHERE patient_search_terms.term >= :low AND patient_search_terms.term < :high AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_0 \n'
        'WHERE other_0.patient_id = patient_search_terms.patient_id AND other_0.term >= :low_0 AND other_0.term < :high_0)) AND (EXISTS (SELECT * \n'
        'FROM patient_search_terms AS other_1 \n'
        'WHERE other_1.patient_id = patient_search_terms.patient_id AND other_1.term >= :low_1 AND other_1.term < :high_1)) ORDER BY patient_search_terms.sort_key, patient_search_terms.patient_id\n'
        ' LIMIT :window OFFSET :param_1) AS window'
        , {'param_1': 0},
    ),
    ('born', True): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients \n'
        'WHERE patients.date_of_birth = :born ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_1'
        , {'param_1': 0},
    ),
    ('first', True): (
        'SELECT patients.id, patients.chart_number, patients.family_name, patients.given_name, patients.date_of_birth, patients.archived, patients.name_order \n'
        'FROM patients ORDER BY patients.sort_key, patients.id\n'
        ' LIMIT :limit OFFSET :param_1'
        , {'param_1': 0},
    ),
}
