//! Enums whose variants are stored and sent as fixed codes (German domain words, or English
//! where the code is technical): one declaration gives the variants, their codes, `code`,
//! `from_code` (exact match, nothing trimmed) and `ALL` in declaration order.

/// ```ignore
/// coded_enum! {
///     #[derive(Clone, Copy, Debug, PartialEq, Eq)]
///     pub enum Wish { Meet = "treffen", MustMeet = "muss" }
/// }
/// ```
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $code:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// The stable code stored in the database and used in forms and URLs.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The variant with exactly this code.
            pub fn from_code(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

pub(crate) use coded_enum;
