-- A service may belong to a network, such as Vestregionen's answers to
-- enquiries about BPA, given through its BPA experience network.
ALTER TABLE services ADD COLUMN network_id BIGINT REFERENCES networks (id);
