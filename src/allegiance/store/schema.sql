-- The allegiance store. Documented column by column in docs/schema.md.
CREATE TABLE vote_codes (code TINYINT PRIMARY KEY, label VARCHAR NOT NULL);

CREATE TABLE states (
    iso3 VARCHAR PRIMARY KEY, iso2 VARCHAR, cow INTEGER, name VARCHAR NOT NULL,
    un_name VARCHAR, region VARCHAR, subregion VARCHAR, variants VARCHAR[], note VARCHAR,
    citation VARCHAR
);

CREATE TABLE un_membership (
    iso3 VARCHAR NOT NULL, admitted DATE NOT NULL, "left" DATE, citation VARCHAR, note VARCHAR
);

CREATE TABLE roll_calls (
    id INTEGER PRIMARY KEY, session INTEGER, date DATE NOT NULL, year INTEGER NOT NULL,
    symbol VARCHAR, raw_symbol VARCHAR, title VARCHAR, kind VARCHAR NOT NULL,
    issues VARCHAR[], important BOOLEAN, yes INTEGER, no INTEGER, abstain INTEGER,
    source VARCHAR NOT NULL, source_id VARCHAR NOT NULL, symbol_source VARCHAR
);

CREATE TABLE votes (roll_call_id INTEGER NOT NULL, state VARCHAR NOT NULL, vote TINYINT NOT NULL);

CREATE TABLE roll_call_sources (
    roll_call_id INTEGER NOT NULL, source VARCHAR NOT NULL, source_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    title VARCHAR
);

CREATE TABLE conflicts (
    roll_call_id INTEGER NOT NULL, state VARCHAR NOT NULL, source VARCHAR NOT NULL,
    vote TINYINT, other_source VARCHAR NOT NULL, other_vote TINYINT
);

CREATE TABLE tally_checks (
    roll_call_id INTEGER NOT NULL, source VARCHAR, yes INTEGER, no INTEGER, abstain INTEGER,
    counted_yes INTEGER, counted_no INTEGER, counted_abstain INTEGER, agrees BOOLEAN
);

CREATE TABLE unmatched (
    source VARCHAR, source_id VARCHAR, date DATE, symbol VARCHAR, raw_symbol VARCHAR,
    title VARCHAR, record VARCHAR
);

-- Symbols and dates of early roll calls taken from the official record (store/official.py).
CREATE TABLE corrections (
    roll_call_id INTEGER NOT NULL, symbol VARCHAR, field VARCHAR NOT NULL, before VARCHAR,
    after VARCHAR, rule VARCHAR NOT NULL, evidence VARCHAR
);

CREATE TABLE rejections (source VARCHAR, file VARCHAR, record VARCHAR, field VARCHAR, reason VARCHAR);

CREATE TABLE sources (
    source VARCHAR PRIMARY KEY, citation VARCHAR, files VARCHAR[], roll_calls INTEGER,
    vote_rows INTEGER, rejected INTEGER
);

CREATE TABLE build_info (key VARCHAR PRIMARY KEY, value VARCHAR);
