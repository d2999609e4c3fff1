"""The agency contact's invitation, the LASA proposal and WSP's decision, and the LASA's own user management."""
