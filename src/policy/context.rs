//! The request contexts of SPEC "Decisions on edge cases": what a request made with long-term
//! keys (K), a session without MFA (S) or a session with MFA (M) carries in the condition keys
//! this tool knows. Every other key is unknown: a condition on it "may hold".

use std::fmt;

/// `aws:MultiFactorAuthPresent`: absent for long-term access keys, `false`/`true` for sessions.
pub const MFA_PRESENT_KEY: &str = "aws:MultiFactorAuthPresent";
/// `aws:MultiFactorAuthAge`: seconds since MFA; present only when MFA was used.
pub const MFA_AGE_KEY: &str = "aws:MultiFactorAuthAge";
/// `aws:ViaAWSService`: `false` for the direct requests all three contexts model.
pub const VIA_AWS_SERVICE_KEY: &str = "aws:ViaAWSService";

/// A request context in which MFA questions are decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Long-term access keys: `aws:MultiFactorAuthPresent` and `aws:MultiFactorAuthAge` absent.
    K,
    /// Console or temporary session without MFA: `aws:MultiFactorAuthPresent = false`,
    /// `aws:MultiFactorAuthAge` absent.
    S,
    /// Session with MFA: `aws:MultiFactorAuthPresent = true`, `aws:MultiFactorAuthAge = 60`.
    M,
}

/// What a request context says about one condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState {
    /// The key is known to be absent from the request.
    Absent,
    /// The key is present with these values (one value for every key modelled here).
    Present(&'static [&'static str]),
    /// Nothing is known about the key: conditions on it may hold.
    Unknown,
}

impl Context {
    /// The three contexts, K, S, M.
    pub const ALL: [Context; 3] = [Context::K, Context::S, Context::M];
    /// The contexts without MFA, K and S: an MFA control must cover both.
    pub const WITHOUT_MFA: [Context; 2] = [Context::K, Context::S];

    /// What this context says about `key` (compared case-insensitively). All three contexts
    /// are direct requests, so `aws:ViaAWSService` is `false` in each.
    pub fn lookup(self, key: &str) -> KeyState {
        if key.eq_ignore_ascii_case(MFA_PRESENT_KEY) {
            match self {
                Context::K => KeyState::Absent,
                Context::S => KeyState::Present(&["false"]),
                Context::M => KeyState::Present(&["true"]),
            }
        } else if key.eq_ignore_ascii_case(MFA_AGE_KEY) {
            match self {
                Context::K | Context::S => KeyState::Absent,
                Context::M => KeyState::Present(&["60"]),
            }
        } else if key.eq_ignore_ascii_case(VIA_AWS_SERVICE_KEY) {
            KeyState::Present(&["false"])
        } else {
            KeyState::Unknown
        }
    }

    /// The SPEC's letter for this context: `K`, `S` or `M`.
    pub fn letter(self) -> &'static str {
        match self {
            Context::K => "K",
            Context::S => "S",
            Context::M => "M",
        }
    }

    /// A readable description, for reasons in results.
    pub fn description(self) -> &'static str {
        match self {
            Context::K => "long-term access keys",
            Context::S => "console or temporary session without MFA",
            Context::M => "session with MFA",
        }
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_looked_up_case_insensitively() {
        assert_eq!(
            Context::S.lookup("AWS:multifactorauthpresent"),
            KeyState::Present(&["false"])
        );
        assert_eq!(
            Context::K.lookup("aws:MULTIFACTORAUTHAGE"),
            KeyState::Absent
        );
        assert_eq!(Context::M.lookup("aws:SourceIp"), KeyState::Unknown);
        assert_eq!(
            Context::K.lookup("aws:viaawsservice"),
            KeyState::Present(&["false"])
        );
    }
}
