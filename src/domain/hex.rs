//! Bytes as lowercase hexadecimal: tokens, hashes, signatures and nonces.

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_digits_per_byte() {
        assert_eq!(super::hex(&[0, 15, 255]), "000fff");
    }
}
