//! Single sign-on through the hospital's identity provider (issue 13 point 4): which Practicum
//! role the provider's claims give a person, and whether that lets an account sign in. Pure:
//! the claim's values and the account's role come in, a decision comes out. The protocol itself
//! (OpenID Connect Core 1.0, PKCE RFC 7636) is `crate::sso`.
use super::Role;

/// The mapping from the provider's role claim to Practicum roles, as configured
/// (`--oidc-role-map 'hec-admins=admin,hec-staff=coordinator'`). A claim value may appear more
/// than once (one group giving two roles).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoleMap(Vec<(String, Role)>);

impl RoleMap {
    /// `value=role` pairs separated by commas; spaces around either side are ignored. Errors: a
    /// pair without `=`, an empty value, or a role Practicum does not have — in words.
    pub fn parse(raw: &str) -> Result<RoleMap, String> {
        let mut pairs = Vec::new();
        for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (value, role) = pair
                .split_once('=')
                .ok_or_else(|| format!("{pair:?} is not value=role"))?;
            let value = value.trim();
            if value.is_empty() {
                return Err(format!("{pair:?} has no claim value before ="));
            }
            let role = Role::parse(role.trim())
                .ok_or_else(|| format!("{:?} is not a Practicum role", role.trim()))?;
            pairs.push((value.to_string(), role));
        }
        Ok(RoleMap(pairs))
    }

    /// The roles the claim's values give (each once), in the order of the map.
    pub fn roles_for(&self, claim_values: &[String]) -> Vec<Role> {
        let mut roles = Vec::new();
        for (value, role) in &self.0 {
            if claim_values.iter().any(|v| v == value) && !roles.contains(role) {
                roles.push(*role);
            }
        }
        roles
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Why the provider's answer signs no one in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The claims map to no Practicum role at all.
    NoMappedRole,
    /// The account's role is not one the claims give (a coordinator in Practicum whom the
    /// provider lists only as staff): a person's role comes from the office, the provider
    /// only vouches for it.
    RoleNotGiven,
    /// No account has this e-mail (or it is not verified by the provider): accounts are
    /// created by the office, never by signing in.
    NoAccount,
}

/// Whether an account of `account_role` may sign in with claims that give `mapped` roles.
pub fn may_sign_in(account_role: Role, mapped: &[Role]) -> Result<(), Refusal> {
    if mapped.is_empty() {
        Err(Refusal::NoMappedRole)
    } else if mapped.contains(&account_role) {
        Ok(())
    } else {
        Err(Refusal::RoleNotGiven)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_reads_pairs_and_refuses_unknown_roles() {
        let m = RoleMap::parse(" hec-admins = admin, hec-staff=coordinator ,").expect("valid");
        assert_eq!(
            m.roles_for(&["hec-staff".into(), "other".into()]),
            vec![Role::Coordinator]
        );
        assert_eq!(
            m.roles_for(&["hec-admins".into(), "hec-staff".into()]),
            vec![Role::Admin, Role::Coordinator]
        );
        assert!(m.roles_for(&["nobody".into()]).is_empty());
        assert!(RoleMap::parse("x=superuser").is_err());
        assert!(RoleMap::parse("admin").is_err());
        assert!(RoleMap::parse("=admin").is_err());
        assert!(RoleMap::parse("").expect("empty").is_empty());
    }

    #[test]
    fn an_account_signs_in_only_with_its_own_role_among_the_mapped_ones() {
        assert_eq!(may_sign_in(Role::Admin, &[]), Err(Refusal::NoMappedRole));
        assert_eq!(
            may_sign_in(Role::Admin, &[Role::Coordinator]),
            Err(Refusal::RoleNotGiven)
        );
        assert_eq!(
            may_sign_in(Role::Coordinator, &[Role::Admin, Role::Coordinator]),
            Ok(())
        );
    }
}
