package dev.mecgw.app.southbound.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.southbound.modbus.RegisterSpec.DataType;
import dev.mecgw.app.southbound.modbus.RegisterSpec.Table;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModbusSettingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldReadAMapWithDefaultsWhenValid() throws Exception {
        // given
        JsonNode upload = JSON.readTree("{\"host\":\"10.0.0.5\",\"registers\":["
                + "{\"metric\":\"temp\",\"table\":\"holding\",\"address\":0,\"type\":\"float32\",\"wordOrder\":\"little\"},"
                + "{\"metric\":\"pump\",\"table\":\"coil\",\"address\":3}]}");

        // when
        ModbusSettings settings = ModbusSettings.read(upload);

        // then
        assertThat(settings.port()).isEqualTo(502);
        assertThat(settings.unitId()).isEqualTo(1);
        assertThat(settings.registers()).hasSize(2);
        RegisterSpec temp = settings.registers().get(0);
        assertThat(temp.table()).isEqualTo(Table.HOLDING);
        assertThat(temp.type()).isEqualTo(DataType.FLOAT32);
        assertThat(temp.wordsLittle()).isTrue();
        assertThat(temp.pollMillis()).isEqualTo(1000);
        assertThat(settings.registers().get(1).type()).isEqualTo(DataType.BOOL);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "overlap in one table | {'metric':'a','table':'holding','address':0,'type':'float64'},"
                        + "{'metric':'b','table':'holding','address':3,'type':'uint16'} | connection.registers[1].address",
                "overlap, later upload lower | {'metric':'a','table':'input','address':5,'type':'int16'},"
                        + "{'metric':'b','table':'input','address':4,'type':'int32'} | connection.registers[1].address",
                "bad type | {'metric':'a','table':'holding','address':0,'type':'int64'} | connection.registers[0].type",
                "bool in a register | {'metric':'a','table':'input','address':0,'type':'bool'} | connection.registers[0].type",
                "float on a coil | {'metric':'a','table':'coil','address':0,'type':'float32'} | connection.registers[0].type",
                "bad table | {'metric':'a','table':'eeprom','address':0,'type':'int16'} | connection.registers[0].table",
                "address too big | {'metric':'a','table':'holding','address':65535,'type':'int32'}"
                        + " | connection.registers[0].address",
                "negative address | {'metric':'a','table':'holding','address':-1,'type':'int16'}"
                        + " | connection.registers[0].address",
                "same metric twice | {'metric':'a','table':'holding','address':0,'type':'int16'},"
                        + "{'metric':'a','table':'holding','address':1,'type':'int16'} | connection.registers[1].metric",
                "bad word order | {'metric':'a','table':'holding','address':0,'type':'int32','wordOrder':'middle'}"
                        + " | connection.registers[0].wordOrder",
                "zero scale | {'metric':'a','table':'holding','address':0,'type':'int16','scale':0}"
                        + " | connection.registers[0].scale",
                "poll too fast | {'metric':'a','table':'holding','address':0,'type':'int16','pollMs':10}"
                        + " | connection.registers[0].pollMs",
                "unknown field | {'metric':'a','table':'holding','address':0,'type':'int16','adress':1}"
                        + " | connection.registers[0].adress",
            })
    void shouldNameTheFieldWhenTheMapIsInvalid(String name, String registers, String field) throws Exception {
        // given
        JsonNode upload = JSON.readTree(("{'host':'plc','registers':[" + registers + "]}").replace('\'', '"'));

        // when / then
        assertThatThrownBy(() -> ModbusSettings.read(upload))
                .isInstanceOfSatisfying(
                        GatewayException.class,
                        e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo(field));
    }

    @Test
    void shouldNameTheEndpointFieldWhenItIsInvalid() throws Exception {
        for (Map.Entry<String, String> bad : Map.of(
                        "connection.host", "{\"registers\":[{\"metric\":\"a\",\"table\":\"coil\",\"address\":0}]}",
                        "connection.port", "{\"host\":\"h\",\"port\":70000,\"registers\":[]}",
                        "connection.registers", "{\"host\":\"h\",\"registers\":[]}",
                        "connection.unitId", "{\"host\":\"h\",\"unitId\":256}")
                .entrySet()) {
            JsonNode upload = JSON.readTree(bad.getValue());
            assertThatThrownBy(() -> ModbusSettings.read(upload))
                    .as(bad.getKey())
                    .isInstanceOfSatisfying(
                            GatewayException.class,
                            e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo(bad.getKey()));
        }
    }

    @Test
    void shouldBatchContiguousRegistersOfOneTableAndIntervalWhenPlanning() throws Exception {
        // given: 0-1, 2, 3-6 contiguous; 10 apart; input table separate; one at another interval
        ModbusSettings settings = ModbusSettings.read(JSON.readTree(("{'host':'h','registers':["
                        + "{'metric':'a','table':'holding','address':0,'type':'int32'},"
                        + "{'metric':'b','table':'holding','address':2,'type':'uint16'},"
                        + "{'metric':'c','table':'holding','address':3,'type':'float64'},"
                        + "{'metric':'d','table':'holding','address':10,'type':'int16'},"
                        + "{'metric':'e','table':'input','address':7,'type':'int16'},"
                        + "{'metric':'f','table':'holding','address':11,'type':'int16','pollMs':5000}]}")
                .replace('\'', '"')));

        // when
        Map<Long, List<ReadPlan.Block>> plan = ReadPlan.of(settings.registers());

        // then
        assertThat(plan.get(1000L))
                .extracting(b -> b.table() + ":" + b.start() + "+" + b.count())
                .containsExactly("INPUT:7+1", "HOLDING:0+7", "HOLDING:10+1");
        assertThat(plan.get(5000L)).extracting(ReadPlan.Block::start).containsExactly(11);
    }

    @Test
    void shouldSplitABlockWhenItExceedsTheProtocolLimit() {
        // given 130 contiguous registers
        List<RegisterSpec> specs = new java.util.ArrayList<>();
        for (int i = 0; i < 130; i++) {
            specs.add(new RegisterSpec(
                    "m" + i, Table.HOLDING, i, DataType.UINT16, false, false, 1, 0, 1000, null, null, null));
        }

        // when
        List<ReadPlan.Block> blocks = ReadPlan.blocks(specs);

        // then
        assertThat(blocks).extracting(ReadPlan.Block::count).containsExactly(125, 5);
    }
}
