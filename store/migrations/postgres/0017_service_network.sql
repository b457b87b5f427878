-- A service may belong to a network, such as Vestregionen's answers to
-- enquiries about BPA, given through its BPA experience network.
ALTER TABLE services ADD COLUMN network_id BIGINT REFERENCES networks (id);

-- A member's page finds the networks it organises and the projects it
-- funds by the organisation.
CREATE INDEX networks_organiser ON networks (organiser_org_id);
CREATE INDEX project_funding_funder ON project_funding (funder_org_id);
